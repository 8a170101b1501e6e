package io.terrafield.api.cli;

import io.terrafield.causal.cli.EffectCommand;
import io.terrafield.forecasting.cli.ForecastCommand;
import io.terrafield.imagery.cli.ImageryCommand;
import io.terrafield.ingest.cli.IngestCommand;
import io.terrafield.store.cli.StoreCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code terrafield} executable ({@code api/target/terrafield.jar}, wrapped by {@code
 * ./terrafield}). Each module contributes its own subcommands.
 */
@Command(
    name = "terrafield",
    mixinStandardHelpOptions = true,
    version = "terrafield 0.1.0",
    description = "Streaming air-quality forecasting and causal effects from satellite data.",
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      ReplayCommand.class,
      ImageryCommand.class,
      ForecastCommand.class,
      EffectCommand.class,
      StoreCommand.class,
      IngestCommand.class
    })
public final class TerrafieldCli {

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    if (!keepsRunning(args)) {
      // Batch commands print their own progress and results; library INFO logs are noise there.
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    int code = commandLine().execute(args);
    if (code != 0 || !keepsRunning(args)) {
      System.exit(code);
    }
  }

  /** The command line with every subcommand, printing {@code error: …} (no stack) on failure. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TerrafieldCli());
    cli.getSubcommands().get("forecast").addSubcommand(new TrainFromStoreCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + message(e));
          return 2;
        });
    return cli;
  }

  private static boolean keepsRunning(String[] args) {
    boolean bench = args.length > 1 && args[1].equals("bench");
    return args.length > 0 && (args[0].equals("demo") || (args[0].equals("serve") && !bench));
  }

  static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t instanceof IllegalStateException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
