package org.persona4j.cli;

import java.util.ArrayList;
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
 */
@Command(name = "persona4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "User profiling and recommendation for e-commerce: generate data, train, segment, recommend, evaluate, serve.",
        commandListHeading = "%nCommands:%n")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the tool without exiting the JVM (for tests and embedding).
     *
     * @param args command-line arguments
     * @return the exit code
     */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** @return the configured command line with every discovered subcommand */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        List<CliCommand> commands = new ArrayList<>();
        ServiceLoader.load(CliCommand.class, Main.class.getClassLoader()).forEach(commands::add);
        commands.sort(Comparator.comparing(c -> name(c)));
        for (CliCommand c : commands) {
            cl.addSubcommand(name(c), c);
        }
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + ex.getMessage()));
            if (!(ex instanceof PersonaException) || Boolean.getBoolean("persona4j.debug")) {
                ex.printStackTrace(commandLine.getErr());
            }
            return ex instanceof BadInputException ? 2 : 1;
        });
        return cl;
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
