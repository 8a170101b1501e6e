package io.terrafield.ingest.sensor;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrafield.store.Variable;
import java.util.Locale;
import java.util.Set;

/**
 * The per-variable rules of {@link ReadingValidator}: each variable is absent, {@code null}, {@code
 * "NA"} or {@code ""} (not measured), or a finite number (or a string holding one) within its
 * plausible range, after conversion from a declared ppb/ppm unit ({@link DeclaredUnit}). An invalid
 * value is reported with a reason naming the variable and the value, and the others are kept.
 * Stateless.
 */
final class VariableRules {

  static final Set<String> MISSING_TOKENS = Set.of("", "na", "null");
  private static final Variable[] VARIABLES = Variable.values();

  /** Receives an invalid value: the reason, the variable, the value as text. */
  @FunctionalInterface
  interface Drops {
    void drop(String reason, Variable v, String value);
  }

  private VariableRules() {}

  /**
   * Fills {@code values} (by {@link Variable#ordinal()}, NaN when not measured or invalid) from the
   * parsed fields; returns how many are valid.
   */
  static int read(ReadingFields f, DeclaredUnit unit, double[] values, Drops drops) {
    int valid = 0;
    for (Variable v : VARIABLES) {
      int slot = v.ordinal();
      values[slot] = Double.NaN;
      if (f.absentOrNull(slot)) {
        continue;
      }
      String problem = null;
      String problemValue = null;
      double value;
      if (f.isNumber(slot)) {
        value = f.numbers[slot];
      } else if (f.isString(slot)) {
        String text = f.texts[slot].trim();
        if (MISSING_TOKENS.contains(text.toLowerCase(Locale.ROOT))) {
          continue;
        }
        try {
          value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
          value = Double.NaN;
          problem = v.key() + ": '" + text + "' is not a number";
          problemValue = text;
        }
      } else {
        JsonNode node = f.trees[slot];
        value = Double.NaN;
        problem = v.key() + ": expected a number, got " + node.getNodeType();
        problemValue = node.toString();
      }
      if (problem == null) {
        problem = checkValue(v, value, unit);
        if (problem == null && v.isPollutant() && !unit.isContractUnit()) {
          value = unit.toMicrogramsPerCubicMetre(v, value);
          problem = checkRange(v, value);
        }
        problemValue = ReadingValidator.strip(value);
      }
      if (problem != null) {
        drops.drop(problem, v, problemValue);
        continue;
      }
      values[slot] = value;
      valid++;
    }
    return valid;
  }

  /**
   * The rejection of a finite value that cannot be used in {@code unit}, or of a non-finite or (in
   * the contract unit) implausible value; {@code null} when it is fine so far.
   */
  private static String checkValue(Variable v, double value, DeclaredUnit unit) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return v.key() + ": " + value + " is not a finite number";
    }
    if (v.isPollutant() && !unit.isContractUnit()) {
      if (!unit.converts(v)) {
        return v.key()
            + ": unit '"
            + unit.declared()
            + "' is not µg/m³ and "
            + v.label()
            + " is not a gas that can be converted";
      }
      return null; // the range is checked after the conversion
    }
    return checkRange(v, value);
  }

  private static String checkRange(Variable v, double value) {
    if (value >= v.minPlausible() && value <= v.maxPlausible()) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "%s: %s is outside the plausible range [%s, %s] %s",
        v.key(),
        ReadingValidator.strip(value),
        ReadingValidator.strip(v.minPlausible()),
        ReadingValidator.strip(v.maxPlausible()),
        v.unit());
  }
}
