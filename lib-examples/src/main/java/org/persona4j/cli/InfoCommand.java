package org.persona4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code persona4j info}: versions of the SDK, Java and the operating system. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print the SDK, Java and platform versions.")
public final class InfoCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(new Main.Version().getVersion()[0]);
        out.println("java     " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        out.println("os       " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.println("cores    " + Runtime.getRuntime().availableProcessors());
        out.println("max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        out.flush();
        return 0;
    }
}
