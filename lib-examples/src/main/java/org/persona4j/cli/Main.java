package org.persona4j.cli;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.persona4j.core.BadInputException;
import org.persona4j.core.PersonaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code persona4j-cli.jar}: discovers the {@link CliCommand} subcommands and runs
 * the one named on the command line. Exit codes: 0 success, 1 failure, 2 bad usage or bad input.
 *
 * <p>Errors are one line: a missing or unreadable file, a port in use or bad input name what and
 * where, without a stack trace ({@code --verbose} or {@code -Dpersona4j.debug=true} adds it; an
 * unexpected exception, which is a bug, always shows it). A misspelt option is named with the
 * closest known options. The native libraries' start-up banners (ND4J, DL4J, JavaCPP) are logged
 * only with {@code --verbose}, which any command accepts.
 */
@Command(name = "persona4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "User profiling and recommendation for e-commerce: generate data, train, segment, recommend, evaluate, serve.",
        commandListHeading = "%nCommands:%n")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The OpenBLAS kernel choice in force ({@link BlasKernels}), for reports; absent for OpenBLAS's own detection. */
    static final String BLAS_KERNELS_PROPERTY = "persona4j.openblas.coretype";

    /** @return the OpenBLAS kernel choice for reports */
    static String blasKernels() {
        return System.getProperty(BLAS_KERNELS_PROPERTY, "detected by OpenBLAS");
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        String kernels = BlasKernels.select();
        if (kernels != null) {
            System.setProperty(BLAS_KERNELS_PROPERTY, kernels);
        }
        // idle OpenMP workers sleep instead of spinning (OpenMpWaits); bench-train's --omp-spin keeps the environment's policy
        OpenMpWaits.select(Arrays.asList(args).contains("--omp-spin"));
        System.exit(run(args));
    }

    /**
     * Runs the tool without exiting the JVM (for tests and embedding).
     *
     * @param args command-line arguments
     * @return the exit code
     */
    public static int run(String... args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean verbose = rest.remove("--verbose");
        if (!verbose) {
            quietNativeBanners();
        }
        return commandLine(verbose).execute(rest.toArray(String[]::new));
    }

    /** Logs the native back-ends' INFO banners only when asked: slf4j-simple reads these at start. */
    private static void quietNativeBanners() {
        for (String pkg : new String[] {"org.nd4j", "org.deeplearning4j", "org.bytedeco", "org.eclipse.deeplearning4j"}) {
            String key = "org.slf4j.simpleLogger.log." + pkg;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /**
     * Says what went wrong in one line for failures a user can fix (files, ports, input); null for
     * anything else, which is reported with its stack trace.
     */
    static String oneLine(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
        if (t instanceof NoSuchFileException f) {
            return "file not found: " + f.getFile() + (f.getReason() == null ? "" : " (" + f.getReason() + ")");
        }
        if (t instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (t instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (t instanceof NotDirectoryException f) {
            return "not a folder: " + f.getFile();
        }
        if (t instanceof FileSystemException f) {
            return f.getMessage();
        }
        if (t instanceof BindException) {
            return t.getMessage() + " (is another process using the port? pick another with --port)";
        }
        if (t instanceof IOException) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        return null;
    }

    /** @return the configured command line with every discovered subcommand */
    public static CommandLine commandLine() {
        return commandLine(false);
    }

    private static CommandLine commandLine(boolean verbose) {
        CommandLine cl = new CommandLine(new Main());
        List<CliCommand> commands = new ArrayList<>();
        ServiceLoader.load(CliCommand.class, Main.class.getClassLoader()).forEach(commands::add);
        commands.sort(Comparator.comparing(c -> name(c)));
        for (CliCommand c : commands) {
            cl.addSubcommand(name(c), c);
        }
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String line = oneLine(ex);
            boolean known = ex instanceof PersonaException || line != null;
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + (line != null ? line : ex.getMessage())));
            if (!known || Boolean.getBoolean("persona4j.debug") || verbose) {
                ex.printStackTrace(commandLine.getErr());
            }
            return ex instanceof BadInputException ? 2 : 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            java.io.PrintWriter err = c.getErr();
            List<String> unknown = unknownOptions(c, args);
            if (!unknown.isEmpty()) {
                // name the misspelt option first: "--fromat" is the error, not the missing "--format"
                err.println(c.getColorScheme().errorText("Unknown option" + (unknown.size() > 1 ? "s: " : ": ")
                        + String.join(", ", unknown.stream().map(o -> "'" + o + "'").toList())));
                List<String> suggestions = nearest(c, unknown.get(0));
                err.println(suggestions.isEmpty() ? "Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options."
                        : "Did you mean: " + String.join(" or ", suggestions) + "?");
            } else {
                err.println(c.getColorScheme().errorText(ex.getMessage()));
                if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
                    err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
                }
            }
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /** Option-like arguments ({@code --x} or {@code --x=v}) that the failing (sub)command does not know. */
    private static List<String> unknownOptions(CommandLine c, String[] args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-") && a.length() > 1 && !a.equals("--") && !isNumber(a)) {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (c.getCommandSpec().findOption(name) == null && !c.getSubcommands().containsKey(name)
                        && (c.getParent() == null || c.getParent().getCommandSpec().findOption(name) == null)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** The command's options within edit distance 2 of {@code typed} (a swap of two letters counts 1). */
    static List<String> nearest(CommandLine c, String typed) {
        List<String> out = new ArrayList<>();
        int best = 3;
        for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
            for (String n : o.names()) {
                int d = distance(typed, n);
                if (d < best) {
                    best = d;
                    out.clear();
                }
                if (d == best && !out.contains(n)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static boolean isNumber(String a) {
        try {
            Double.parseDouble(a);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String name(CliCommand c) {
        Command a = c.getClass().getAnnotation(Command.class);
        if (a == null) {
            throw new IllegalStateException(c.getClass().getName() + " lacks @Command");
        }
        return a.name();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the SDK version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"persona4j " + (v == null ? "dev" : v), "Java " + System.getProperty("java.version")};
        }
    }
}
