package io.terrafield.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A measured quantity of an {@link Observation}: the six pollutants and the meteorology that comes
 * with them. The {@link #key()} is the JSON field name on Kafka topics and the column name in the
 * store; {@link #maxPlausible()} is the validation ceiling above which a reading is rejected as
 * absurd.
 */
public enum Variable {
  PM25("pm25", "PM2.5", "µg/m³", true, 0, 2000),
  PM10("pm10", "PM10", "µg/m³", true, 0, 3000),
  NO2("no2", "NO2", "µg/m³", true, 0, 1000),
  SO2("so2", "SO2", "µg/m³", true, 0, 1000),
  CO("co", "CO", "µg/m³", true, 0, 20000),
  O3("o3", "O3", "µg/m³", true, 0, 1000),
  TEMP("temp", "Air temperature", "°C", false, -60, 60),
  PRES("pres", "Air pressure", "hPa", false, 850, 1100),
  DEWP("dewp", "Dew point", "°C", false, -70, 40),
  RAIN("rain", "Precipitation", "mm", false, 0, 300),
  WSPM("wspm", "Wind speed", "m/s", false, 0, 60);

  private final String key;
  private final String label;
  private final String unit;
  private final boolean pollutant;
  private final double minPlausible;
  private final double maxPlausible;

  Variable(
      String key,
      String label,
      String unit,
      boolean pollutant,
      double minPlausible,
      double maxPlausible) {
    this.key = key;
    this.label = label;
    this.unit = unit;
    this.pollutant = pollutant;
    this.minPlausible = minPlausible;
    this.maxPlausible = maxPlausible;
  }

  public String key() {
    return key;
  }

  public String label() {
    return label;
  }

  public String unit() {
    return unit;
  }

  public boolean isPollutant() {
    return pollutant;
  }

  public double minPlausible() {
    return minPlausible;
  }

  public double maxPlausible() {
    return maxPlausible;
  }

  /** Looks a variable up by its key ({@code pm25}), case-insensitively. */
  public static Optional<Variable> byKey(String key) {
    String k = key == null ? "" : key.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(v -> v.key.equals(k)).findFirst();
  }
}
