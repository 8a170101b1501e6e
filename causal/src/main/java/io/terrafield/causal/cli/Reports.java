package io.terrafield.causal.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.terrafield.causal.EffectResult;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/** JSON (snake case, non-finite numbers as null) and a readable summary of a result. */
final class Reports {
  private Reports() {}

  static ObjectMapper mapper() {
    SimpleModule finite = new SimpleModule();
    JsonSerializer<Double> serializer =
        new JsonSerializer<>() {
          @Override
          public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            if (value == null || !Double.isFinite(value)) {
              gen.writeNull();
            } else {
              gen.writeNumber(value);
            }
          }
        };
    finite.addSerializer(Double.class, serializer);
    finite.addSerializer(double.class, serializer);
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .registerModule(finite);
  }

  static void printSummary(EffectResult r, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%s %s (%s, correction %s): %.4f  SE %.4f  %d%% CI [%.4f, %.4f]  n=%d treated=%d%n",
        r.estimand().toUpperCase(Locale.ROOT),
        "estimate",
        r.estimator(),
        r.correction(),
        r.estimate(),
        r.se(),
        Math.round(r.level() * 100),
        r.ciLow(),
        r.ciHigh(),
        r.n(),
        r.nTreated());
    EffectResult.Diagnostics d = r.diagnostics();
    EffectResult.Uncertainty u = d.uncertainty();
    out.printf(
        Locale.ROOT,
        "  SE: %s sampling %.4f (plain influence %.4f), calibration %.4f; critical value %.3f"
            + " (%s)%s%n",
        u.method(),
        u.seSampling(),
        u.seInfluence(),
        u.seCalibration(),
        u.criticalValue(),
        u.reference(),
        u.clusters() > 0 ? ", " + u.clusters() + " clusters" : "");
    if (d.calibration() != null) {
      EffectResult.CalibrationSummary c = d.calibration();
      out.printf(
          Locale.ROOT,
          "  calibration: %s, n=%d, slope k=%.3f (SE %.3f), sigma^2=%.4f; raw estimate %.4f%n",
          c.source(),
          c.n(),
          c.slope(),
          c.slopeSe(),
          c.residualVariance(),
          c.rawEstimate());
    }
    if (d.correctionAdvice() != null) {
      EffectResult.CorrectionAdvice advice = d.correctionAdvice();
      out.printf(
          Locale.ROOT,
          "  corrections side by side (requested '%s', recommended '%s'):%n",
          advice.requested(),
          advice.recommended());
      out.printf(
          Locale.ROOT,
          "    %-10s %10s %9s %23s %10s%n",
          "correction",
          "estimate",
          "SE",
          "CI",
          "vs raw");
      for (EffectResult.CorrectionEstimate e : advice.corrections()) {
        out.printf(
            Locale.ROOT,
            "    %-10s %10.4f %9.4f  [%9.4f, %9.4f] %+10.4f%s%n",
            e.correction(),
            e.estimate(),
            e.se(),
            e.ciLow(),
            e.ciHigh(),
            e.shiftFromRaw(),
            e.correction().equals(advice.recommended()) ? "  <- recommended" : "");
      }
      out.println("  recommendation: " + advice.recommended() + ": " + advice.reason());
      for (String finding : advice.checks().findings()) {
        out.println("  check: " + finding);
      }
    }
    if (d.overlap() != null) {
      EffectResult.Overlap o = d.overlap();
      out.printf(
          Locale.ROOT,
          "  overlap: treated e in [%.3f, %.3f], control e in [%.3f, %.3f], clipped to [%.3g,"
              + " %.3g]: %d units, outside [0.05,0.95] %d; propensity model: %s%n",
          o.treatedMin(),
          o.treatedMax(),
          o.controlMin(),
          o.controlMax(),
          o.trim(),
          1 - o.trim(),
          o.clippedCount(),
          o.outside05Count(),
          o.model());
    }
    for (EffectResult.Balance b : d.balance()) {
      out.printf(
          Locale.ROOT,
          "  balance %-24s SMD before %7.3f  after %7.3f%n",
          b.covariate(),
          b.smdBefore(),
          b.smdAfter());
    }
    out.printf(
        Locale.ROOT,
        "  effective sample size: treated %.1f, control %.1f%n",
        d.effectiveSampleSize().treated(),
        d.effectiveSampleSize().control());
    out.println("  sensitivity: " + d.sensitivity().summary());
    for (String w : d.warnings()) {
      out.println("  warning: " + w);
    }
    for (String note : d.notes()) {
      out.println("  note: " + note);
    }
  }
}
