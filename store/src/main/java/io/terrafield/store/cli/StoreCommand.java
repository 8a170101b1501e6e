package io.terrafield.store.cli;

import io.terrafield.store.StoreException;
import io.terrafield.store.importers.ImportException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code terrafield store}: load the real data sets into a store and look at what it holds.
 * Subcommands {@code import} and {@code status}. Bad input prints {@code error: <message>} to
 * stderr and exits with status 2.
 */
@Command(
    name = "store",
    description = "Load the real air-quality data into a Terrafield store and inspect it.",
    mixinStandardHelpOptions = true,
    subcommands = {ImportCommand.class, StatusCommand.class})
public class StoreCommand implements Runnable {

  @Spec CommandSpec spec;

  public StoreCommand() {}

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command line for this command with Terrafield's error conventions. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new StoreCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException
              || e instanceof ImportException
              || e instanceof StoreException) {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
          }
          throw e;
        });
    cli.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("error: " + e.getMessage());
          err.flush();
          return 2;
        });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
