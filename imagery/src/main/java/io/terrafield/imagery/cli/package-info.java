/**
 * The {@code imagery} picocli command ({@code info}, {@code sample}, {@code bench}), registered as
 * a subcommand of the {@code terrafield} executable.
 */
package io.terrafield.imagery.cli;
