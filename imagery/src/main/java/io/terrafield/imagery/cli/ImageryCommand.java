package io.terrafield.imagery.cli;

import io.terrafield.imagery.RasterReadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code imagery}: raster tools. Subcommands: {@code info}, {@code sample}, {@code bench}.
 *
 * <p>Registered by the {@code terrafield} executable as a subcommand; runnable on its own through
 * {@link #main(String[])}. Bad input prints {@code error: <message>} on stderr and exits 2.
 */
@Command(
    name = "imagery",
    mixinStandardHelpOptions = true,
    description = "GeoTIFF rasters: metadata, sampling at points, buffer statistics, benchmark.",
    subcommands = {InfoCommand.class, SampleCommand.class, BenchCommand.class})
public final class ImageryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public ImageryCommand() {}

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit status, without exiting. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** A configured command line: bad input gives {@code error: <message>} and status 2. */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new ImageryCommand());
    line.setParameterExceptionHandler(
        (e, args) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage());
          return 2;
        });
    line.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          if (isBadInput(e)) {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    return line;
  }

  static boolean isBadInput(Throwable e) {
    return e instanceof IllegalArgumentException
        || e instanceof RasterReadException
        || e instanceof IOException
        || e instanceof UncheckedIOException;
  }

  static int fail(CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: " + message);
    err.flush();
    return 2;
  }
}
