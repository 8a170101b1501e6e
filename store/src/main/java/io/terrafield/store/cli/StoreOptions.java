package io.terrafield.store.cli;

import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import picocli.CommandLine.Option;

/** The connection options shared by the store subcommands. */
final class StoreOptions {

  @Option(
      names = "--jdbc-url",
      defaultValue = "jdbc:h2:./data/terrafield",
      description =
          "Store to use: jdbc:postgresql://host:port/db or jdbc:h2:... (default: ${DEFAULT-VALUE}).")
  String jdbcUrl;

  @Option(names = "--user", defaultValue = "sa", description = "Database user (default: sa).")
  String user;

  @Option(
      names = "--password",
      defaultValue = "${env:TERRAFIELD_STORE_PASSWORD:-}",
      description =
          "Database password (default: the environment variable TERRAFIELD_STORE_PASSWORD, else"
              + " empty; prefer it to this option, which other processes can see).",
      arity = "0..1",
      interactive = false)
  String password;

  TerrafieldStore open() {
    return Stores.open(jdbcUrl, user, password);
  }
}
