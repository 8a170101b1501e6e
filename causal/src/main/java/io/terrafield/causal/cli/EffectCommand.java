package io.terrafield.causal.cli;

import io.terrafield.causal.CausalInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code effect} command: {@code estimate} (the report.json contract of ARCHITECTURE.md, with
 * optional raster confounders and outcome), {@code simulate} (the paper's and the confounded
 * simulation), {@code trials} (one map, many trials on DHS) and {@code benchmark} (AIPW timing).
 * Bad input prints {@code error: <message>} to stderr and exits 2.
 */
@Command(
    name = "effect",
    mixinStandardHelpOptions = true,
    description = "Causal effect estimates from satellite confounders and debiased wealth maps.",
    subcommands = {
      EstimateCommand.class,
      SimulateCommand.class,
      TrialsCommand.class,
      BenchmarkCommand.class
    })
public final class EffectCommand implements Runnable {

  /** Creates the command (picocli instantiates it). */
  public EffectCommand() {}

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Runs the command line; exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** A command line with the error handling of Terrafield (bad input: message and exit 2). */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new EffectCommand());
    cmd.setExecutionExceptionHandler(
        (exception, commandLine, parseResult) -> {
          String message = badInputMessage(exception);
          if (message == null) {
            throw exception;
          }
          commandLine.getErr().println("error: " + message);
          return 2;
        });
    return cmd;
  }

  private static String badInputMessage(Exception exception) {
    Throwable e = exception;
    if (e instanceof UncheckedIOException u) {
      e = u.getCause();
    }
    if (e instanceof NoSuchFileException missing) {
      return "file not found: " + missing.getFile();
    }
    if (e instanceof CausalInputException || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    if (e instanceof IOException) {
      return e.getMessage();
    }
    return null;
  }
}
