package io.terrafield.ingest.cli;

import picocli.CommandLine.Command;

/** {@code terrafield ingest}: commands of the ingest module ({@code bench}). */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Ingest tools: the sensor-job benchmark.",
    subcommands = {IngestBenchCommand.class})
public final class IngestCommand {}
