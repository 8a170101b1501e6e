package io.terrafield.ingest.sensor;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrafield.store.Variable;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The unit a reading declares for its pollutants in its optional {@code unit} field, and the
 * conversion of mixing ratios to the contract's mass concentration (µg/m³).
 *
 * <p>A mixing ratio x (ppb) of a gas of molar mass M (g/mol) is the mass concentration
 *
 * <pre>  c [µg/m³] = x [ppb] · M / V_m,   V_m = R · T / p</pre>
 *
 * at the reference temperature T = 298.15 K (25 °C) and pressure p = 1013.25 hPa, where V_m =
 * 24.465 L/mol (R = 8.314462618 J/(mol·K)). These are the reference conditions of the WHO air
 * quality guidelines and of China's GB 3095-2012 (amendment 2018) for gaseous pollutants; the EU
 * directive 2008/50/EC uses 20 °C (24.055 L/mol), which gives values 1.7 % higher. ppm is 1000 ppb.
 * Particles (PM2.5, PM10) have no such conversion: a reading that gives them in ppb drops those
 * values with a reason. Immutable.
 */
final class DeclaredUnit implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Molar volume at 25 °C and 1013.25 hPa, in litres per mole. */
  static final double MOLAR_VOLUME_L = 8.314462618 * 298.15 / 101_325.0 * 1000.0;

  /** Molar masses (g/mol) of the gases that may be declared as mixing ratios. */
  static final Map<Variable, Double> MOLAR_MASS;

  static {
    EnumMap<Variable, Double> m = new EnumMap<>(Variable.class);
    m.put(Variable.NO2, 46.0055);
    m.put(Variable.SO2, 64.066);
    m.put(Variable.CO, 28.010);
    m.put(Variable.O3, 47.9982);
    MOLAR_MASS = Map.copyOf(m);
  }

  private static final Set<String> CONTRACT_SPELLINGS =
      Set.of("µg/m³", "µg/m3", "μg/m³", "μg/m3", "ug/m3", "ug/m³", "ug m-3", "µg m-3");

  static final DeclaredUnit CONTRACT = new DeclaredUnit("µg/m³", 0);

  private final String declared;
  private final double ppbPerUnit;

  private DeclaredUnit(String declared, double ppbPerUnit) {
    this.declared = declared;
    this.ppbPerUnit = ppbPerUnit;
  }

  /**
   * The unit declared by a reading's {@code unit} field ({@code null} or absent: the contract's).
   *
   * @throws IllegalArgumentException naming the field and value when the unit is not known
   */
  static DeclaredUnit of(JsonNode node) {
    if (node == null || node.isNull()) {
      return CONTRACT;
    }
    String text = node.isTextual() ? node.asText().trim() : node.toString();
    String key = text.toLowerCase(Locale.ROOT);
    if (CONTRACT_SPELLINGS.contains(key)) {
      return CONTRACT;
    }
    if (key.equals("ppb")) {
      return new DeclaredUnit(text, 1);
    }
    if (key.equals("ppm")) {
      return new DeclaredUnit(text, 1000);
    }
    throw new IllegalArgumentException(
        "unit: '"
            + text
            + "' is not µg/m³ (accepted: µg/m³, or ppb/ppm for no2, so2, co and o3, converted at"
            + " 25 °C and 1013.25 hPa)");
  }

  String declared() {
    return declared;
  }

  boolean isContractUnit() {
    return ppbPerUnit == 0;
  }

  /** Whether a value of {@code v} in this unit can be converted to µg/m³. */
  boolean converts(Variable v) {
    return isContractUnit() || MOLAR_MASS.containsKey(v);
  }

  /** {@code value} of {@code v} in this unit, in µg/m³. */
  double toMicrogramsPerCubicMetre(Variable v, double value) {
    if (isContractUnit()) {
      return value;
    }
    return value * ppbPerUnit * MOLAR_MASS.get(v) / MOLAR_VOLUME_L;
  }
}
