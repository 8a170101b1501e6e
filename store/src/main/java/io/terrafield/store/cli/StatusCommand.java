package io.terrafield.store.cli;

import io.terrafield.store.LatestValue;
import io.terrafield.store.TerrafieldStore;
import io.terrafield.store.Variable;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code terrafield store status}: counts and the latest value of a variable per station. */
@Command(
    name = "status",
    description = "Print the number of stations and observations and the latest values.",
    mixinStandardHelpOptions = true)
public class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin StoreOptions store = new StoreOptions();

  @Option(
      names = "--variable",
      defaultValue = "pm25",
      description = "Variable key for the latest values (default: ${DEFAULT-VALUE}).")
  String variable;

  public StatusCommand() {}

  @Override
  public Integer call() {
    Variable v =
        Variable.byKey(variable)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--variable must be one of "
                            + List.of(Variable.values()).stream().map(Variable::key).toList()
                            + ", was '"
                            + variable
                            + "'"));
    PrintWriter out = spec.commandLine().getOut();
    try (TerrafieldStore target = store.open()) {
      long started = System.nanoTime();
      List<LatestValue> latest = target.latestValues(v);
      double ms = (System.nanoTime() - started) / 1e6;
      out.printf(
          Locale.ROOT,
          "%s: %d stations, %d observations%n",
          target.dialect(),
          target.stations().size(),
          target.countObservations());
      out.printf(Locale.ROOT, "latest %s (%s), query %.0f ms:%n", v.label(), v.unit(), ms);
      out.printf(
          Locale.ROOT,
          "%-16s %-10s %10s %-22s %8s%n",
          "station",
          "network",
          "value",
          "time",
          "count");
      for (LatestValue lv : latest) {
        out.printf(
            Locale.ROOT,
            "%-16s %-10s %10.1f %-22s %8d%n",
            lv.station().id(),
            lv.station().network(),
            lv.value(),
            lv.time(),
            lv.count());
      }
      out.flush();
    }
    return 0;
  }
}
