/**
 * The {@code persona4j} command-line tool: {@link org.persona4j.cli.Main} and its subcommands,
 * discovered through {@link org.persona4j.cli.CliCommand} services.
 */
package org.persona4j.cli;
