package org.persona4j.cli;

import java.util.concurrent.Callable;

/**
 * A subcommand of the {@code persona4j} tool. Implementations are picocli {@code @Command} classes
 * with a public no-argument constructor, listed in
 * {@code META-INF/services/org.persona4j.cli.CliCommand}; {@link Main} discovers them, so adding a
 * subcommand touches no other class. {@code call()} returns the process exit code.
 */
public interface CliCommand extends Callable<Integer> {
}
