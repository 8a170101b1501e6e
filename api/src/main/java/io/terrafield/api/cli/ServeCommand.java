package io.terrafield.api.cli;

import io.terrafield.api.TerrafieldApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code terrafield serve --config FILE}: the API against external Kafka, PostGIS and Flink. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    subcommands = ServeBenchCommand.class,
    description = {
      "Starts the API with external services, configured by a YAML or properties file"
          + " (terrafield.mode: external, terrafield.kafka.bootstrap-servers,"
          + " terrafield.store.url/user/password, terrafield.flink.target: local|none).",
      "See docs/configuration.md for an example."
    })
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", description = "Configuration file (YAML or .properties).")
  Path config;

  @Unmatched List<String> springArguments = new ArrayList<>();

  @Override
  public Integer call() {
    if (config == null) {
      throw new IllegalArgumentException(
          "--config: missing (terrafield serve --config FILE; or terrafield serve bench)");
    }
    if (!Files.isReadable(config)) {
      throw new IllegalArgumentException("--config: cannot read file '" + config + "'");
    }
    List<String> args = new ArrayList<>(springArguments);
    args.add("--spring.config.additional-location=file:" + config.toAbsolutePath());
    args.add("--terrafield.mode=external");
    SpringApplication.run(TerrafieldApplication.class, args.toArray(String[]::new));
    return 0;
  }
}
