package io.terrafield.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrafield.api.cli.TerrafieldCli;
import io.terrafield.api.cli.TrainFromStoreCommand;
import io.terrafield.helm.RenderedChart.ValueSet;
import io.terrafield.ingest.cli.ForecastJobMain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The training CronJob's command is the api image's {@code terrafield forecast train-from-store}:
 * its rendered arguments parse with that command's picocli spec for every value set (an unknown
 * option or a missing required one fails here, not at 3 a.m. in the cluster), reach the store the
 * forecast job reaches, write where the job reads, take the password from the variable the pod
 * sets, and fit the field configuration the forecast job serves (the job refuses any other): both
 * get it from {@code models.field}, which extra arguments may not override.
 */
class TrainingCommandTest {

  private static final String FULLNAME = RenderedChart.RELEASE + "-terrafield";
  private static final List<String> FIELD_OPTIONS =
      List.of("--members", "--width", "--epochs", "--batch-size");

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void theCronJobsArgumentsParseAsTheTrainingCommandAndAgreeWithTheForecastJob(ValueSet values) {
    RenderedChart chart = RenderedChart.render(values, Map.of());
    JsonNode pod =
        chart.get("CronJob", FULLNAME + "-training").at("/spec/jobTemplate/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    List<String> command = strings(container.path("command"));
    assertThat(command.subList(0, 3)).containsExactly("java", "-jar", "/app/terrafield.jar");

    ParseResult training = parseTraining(command.subList(3, command.size()));
    CommandSpec spec = training.commandSpec();
    assertThat(spec.userObject()).isInstanceOf(TrainFromStoreCommand.class);
    String modelDir = spec.findOption("--model-dir").getValue().toString();
    assertThat(modelDir).isEqualTo(mountPath(container, "models"));
    assertThat(passwordDefault())
        .as("the command's --store-password default")
        .startsWith("${env:" + TrainFromStoreCommand.PASSWORD_VARIABLE + ":");
    assertThat(
            env(container, TrainFromStoreCommand.PASSWORD_VARIABLE).at("/valueFrom/secretKeyRef"))
        .as("the pod sets the password variable from a Secret")
        .isNotEmpty();
    assertThat(strings(container.path("command")))
        .as("no password on the command line")
        .doesNotContain("--store-password");

    Optional<JsonNode> forecastJob = chart.find("FlinkDeployment", FULLNAME + "-forecast-job");
    assertThat(forecastJob).as("the forecast job of %s", values).isPresent();
    CommandSpec job = parseForecastJob(strings(forecastJob.get().at("/spec/job/args")));
    assertThat(value(spec, "--store-url")).isEqualTo(value(job, "--store-url"));
    assertThat(value(spec, "--store-user")).isEqualTo(value(job, "--store-user"));
    assertThat(value(spec, "--model-dir")).isEqualTo(value(job, "--model-dir"));
    for (String option : FIELD_OPTIONS) {
      assertThat(value(spec, option))
          .as("%s of the training and of the forecast job (%s)", option, values)
          .isEqualTo(value(job, option));
    }
    assertThat(value(spec, "--zone")).isEqualTo(value(job, "--zone"));
  }

  @Test
  void extraArgumentsReachTheTrainingCommand() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                // --set types a bare number as an integer, which the schema refuses: the
                // --option=value form keeps each argument a string.
                "training.extraArgs[0]", "--history-days=400",
                "training.extraArgs[1]", "--min-history-days=300",
                "training.extraArgs[2]", "--variable",
                "training.extraArgs[3]", "pm10"));
    List<String> command =
        strings(
            chart
                .get("CronJob", FULLNAME + "-training")
                .at("/spec/jobTemplate/spec/template/spec/containers/0/command"));
    CommandSpec spec = parseTraining(command.subList(3, command.size())).commandSpec();
    assertThat(value(spec, "--history-days")).isEqualTo("400");
    assertThat(value(spec, "--min-history-days")).isEqualTo("300");
    assertThat(value(spec, "--variables")).isEqualTo("[pm10]");
  }

  @Test
  void modelsFieldSetsTheFieldOfBothAndExtraArgumentsMayNot() {
    RenderedChart chart =
        RenderedChart.render(
            Map.of(
                "models.field.members", 4,
                "models.field.width", 64,
                "models.field.epochs", 20,
                "models.field.batchSize", 2048));
    List<String> command =
        strings(
            chart
                .get("CronJob", FULLNAME + "-training")
                .at("/spec/jobTemplate/spec/template/spec/containers/0/command"));
    CommandSpec training = parseTraining(command.subList(3, command.size())).commandSpec();
    CommandSpec job =
        parseForecastJob(
            strings(chart.get("FlinkDeployment", FULLNAME + "-forecast-job").at("/spec/job/args")));
    Map<String, String> expected =
        Map.of("--members", "4", "--width", "64", "--epochs", "20", "--batch-size", "2048");
    expected.forEach(
        (option, value) -> {
          assertThat(value(training, option)).as("training %s", option).isEqualTo(value);
          assertThat(value(job, option)).as("forecast job %s", option).isEqualTo(value);
        });

    assertThatThrownBy(() -> RenderedChart.render(Map.of("training.extraArgs[0]", "--epochs=3")))
        .hasMessageContaining(
            "training.extraArgs: --epochs is set by models.field (the training and the forecast"
                + " job must agree), not here");
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    Map.of(
                        "flink.jobs.forecast.extraArgs[0]", "--members",
                        "flink.jobs.forecast.extraArgs[1]", "x")))
        .hasMessageContaining("flink.jobs.forecast.extraArgs: --members is set by models.field");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("models.field.members", 0)))
        .hasMessageContaining("models.field.members");
  }

  private static String passwordDefault() {
    try {
      return TrainFromStoreCommand.class
          .getDeclaredField("storePassword")
          .getAnnotation(CommandLine.Option.class)
          .defaultValue();
    } catch (NoSuchFieldException e) {
      throw new AssertionError(e);
    }
  }

  private static ParseResult parseTraining(List<String> args) {
    ParseResult top = TerrafieldCli.commandLine().parseArgs(args.toArray(String[]::new));
    assertThat(top.subcommand()).as("a subcommand in %s", args).isNotNull();
    assertThat(top.subcommand().commandSpec().name()).isEqualTo("forecast");
    ParseResult training = top.subcommand().subcommand();
    assertThat(training).as("a forecast subcommand in %s", args).isNotNull();
    assertThat(training.commandSpec().name()).isEqualTo("train-from-store");
    return training;
  }

  private static CommandSpec parseForecastJob(List<String> args) {
    CommandLine line = new CommandLine(new ForecastJobMain());
    line.parseArgs(args.toArray(String[]::new));
    return line.getCommandSpec();
  }

  private static String value(CommandSpec spec, String option) {
    return String.valueOf((Object) spec.findOption(option).getValue());
  }

  private static String mountPath(JsonNode container, String volume) {
    return StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
        .filter(m -> volume.equals(m.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mount of " + volume + " in " + container))
        .path("mountPath")
        .asText();
  }

  private static JsonNode env(JsonNode container, String name) {
    return StreamSupport.stream(container.path("env").spliterator(), false)
        .filter(variable -> name.equals(variable.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + container));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }
}
