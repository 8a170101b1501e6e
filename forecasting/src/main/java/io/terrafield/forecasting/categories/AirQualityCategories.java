package io.terrafield.forecasting.categories;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The breakpoint tables of three agencies' air-quality categories, per pollutant, converted to
 * µg/m³ (the unit Terrafield stores every pollutant in). Written once here so that the dashboard's
 * legend and station colours and the API's categories agree.
 *
 * <p>Sources (the upper bound of each category, in the agency's unit):
 *
 * <ul>
 *   <li><b>US EPA AQI</b> — EPA-454/B-24-002 (May 2024), Table 6: PM2.5 24 h µg/m³ 9.0, 35.4, 55.4,
 *       125.4, 225.4; PM10 24 h µg/m³ 54, 154, 254, 354, 424; O3 8 h ppb 54, 70, 85, 105, 200; NO2
 *       1 h ppb 53, 100, 360, 649, 1249; SO2 1 h ppb 35, 75, 185, 304, 604 (the last from the
 *       24-hour table); CO 8 h ppm 4.4, 9.4, 12.4, 15.4, 30.4. Categories Good, Moderate, Unhealthy
 *       for Sensitive Groups, Unhealthy, Very Unhealthy, Hazardous.
 *   <li><b>European Air Quality Index</b> (EEA, bands revised 2024) µg/m³: PM2.5 5, 15, 50, 90,
 *       140; PM10 15, 45, 120, 195, 270; NO2 10, 25, 60, 100, 150; O3 60, 100, 120, 160, 180; SO2
 *       20, 40, 125, 190, 275. Categories Good, Fair, Moderate, Poor, Very poor, Extremely poor.
 *       The index has no CO band.
 *   <li><b>China HJ 633-2012</b>, Table 1 (IAQI 50, 100, 150, 200, 300): SO2 1 h µg/m³ 150, 500,
 *       650, 800, 1600 (above 800 the standard refers to the 24-hour limit, used here); NO2 1 h
 *       100, 200, 700, 1200, 2340; CO 1 h mg/m³ 5, 10, 35, 60, 90; O3 1 h 160, 200, 300, 400, 800;
 *       PM10 24 h 50, 150, 250, 350, 420; PM2.5 24 h 35, 75, 115, 150, 250. Categories (Table 2)
 *       Excellent, Good, Lightly polluted, Moderately polluted, Heavily polluted, Severely
 *       polluted.
 * </ul>
 *
 * <p>Gas concentrations in ppb/ppm are converted at 25 °C and 1 atm (molar volume 24.45 L): µg/m³ =
 * ppb × M / 24.45 with M = 46.01 (NO2), 64.07 (SO2), 48.00 (O3), 28.01 (CO) g/mol. Terrafield's
 * data are hourly means; where an agency's breakpoints refer to a longer averaging period the table
 * says so in {@link CategoryTable#note()} (the hourly value is classified against them as an
 * indication, as the agencies' own "NowCast"-style maps do).
 *
 * <p>Immutable and thread-safe.
 */
public final class AirQualityCategories {

  /** Molar volume at 25 °C and 1 atm, litres per mole. */
  static final double MOLAR_VOLUME = 24.45;

  private static final String[] EPA_LABELS = {
    "Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy", "Very Unhealthy", "Hazardous"
  };
  private static final String[] EPA_COLOURS = {
    "#00e400", "#ffff00", "#ff7e00", "#ff0000", "#8f3f97", "#7e0023"
  };
  private static final String[] EEA_LABELS = {
    "Good", "Fair", "Moderate", "Poor", "Very poor", "Extremely poor"
  };
  private static final String[] EEA_COLOURS = {
    "#50f0e6", "#50ccaa", "#f0e641", "#ff5050", "#960032", "#7d2181"
  };
  private static final String[] HJ633_LABELS = {
    "Excellent",
    "Good",
    "Lightly polluted",
    "Moderately polluted",
    "Heavily polluted",
    "Severely polluted"
  };
  private static final String[] HJ633_COLOURS = {
    "#00e400", "#ffff00", "#ff7e00", "#ff0000", "#99004c", "#7e0023"
  };

  private static final String HOURLY_AGAINST_LONGER =
      "hourly values classified against the %s breakpoints";

  private static final Map<String, String> POLLUTANT_LABELS =
      Map.of("pm25", "PM2.5", "pm10", "PM10", "no2", "NO2", "so2", "SO2", "co", "CO", "o3", "O3");

  private static final List<CategoryTable> TABLES = build();

  private AirQualityCategories() {}

  /** Every table, grouped by scheme in {@link CategoryScheme} order. */
  public static List<CategoryTable> tables() {
    return TABLES;
  }

  /** The table of a scheme for a pollutant (collection id), empty if the scheme has none. */
  public static Optional<CategoryTable> table(CategoryScheme scheme, String pollutant) {
    return TABLES.stream()
        .filter(t -> t.scheme() == scheme && t.pollutant().equalsIgnoreCase(pollutant))
        .findFirst();
  }

  /** The pollutants (collection ids) a scheme has tables for. */
  public static List<String> pollutants(CategoryScheme scheme) {
    return TABLES.stream().filter(t -> t.scheme() == scheme).map(CategoryTable::pollutant).toList();
  }

  private static List<CategoryTable> build() {
    List<CategoryTable> t = new ArrayList<>();
    // US EPA AQI, EPA-454/B-24-002 Table 6.
    t.add(epa("pm25", "µg/m³", 1, "24 h", 9.0, 35.4, 55.4, 125.4, 225.4));
    t.add(epa("pm10", "µg/m³", 1, "24 h", 54, 154, 254, 354, 424));
    t.add(epa("o3", "ppb", ppbFactor(48.00), "8 h", 54, 70, 85, 105, 200));
    t.add(epa("no2", "ppb", ppbFactor(46.01), "1 h", 53, 100, 360, 649, 1249));
    t.add(epa("so2", "ppb", ppbFactor(64.07), "1 h", 35, 75, 185, 304, 604));
    t.add(epa("co", "ppm", 1000 * ppbFactor(28.01), "8 h", 4.4, 9.4, 12.4, 15.4, 30.4));
    // European Air Quality Index (EEA), bands revised 2024; all µg/m³, hourly (PM: 24 h mean).
    t.add(eea("pm25", "24 h running mean", 5, 15, 50, 90, 140));
    t.add(eea("pm10", "24 h running mean", 15, 45, 120, 195, 270));
    t.add(eea("no2", "1 h", 10, 25, 60, 100, 150));
    t.add(eea("o3", "1 h", 60, 100, 120, 160, 180));
    t.add(eea("so2", "1 h", 20, 40, 125, 190, 275));
    // China HJ 633-2012 Table 1.
    t.add(hj633("pm25", "µg/m³", 1, "24 h", 35, 75, 115, 150, 250));
    t.add(hj633("pm10", "µg/m³", 1, "24 h", 50, 150, 250, 350, 420));
    t.add(hj633("so2", "µg/m³", 1, "1 h", 150, 500, 650, 800, 1600));
    t.add(hj633("no2", "µg/m³", 1, "1 h", 100, 200, 700, 1200, 2340));
    t.add(hj633("co", "mg/m³", 1000, "1 h", 5, 10, 35, 60, 90));
    t.add(hj633("o3", "µg/m³", 1, "1 h", 160, 200, 300, 400, 800));
    return List.copyOf(t);
  }

  /** µg/m³ per ppb of a gas of molar mass {@code grams} g/mol at 25 °C, 1 atm. */
  static double ppbFactor(double grams) {
    return grams / MOLAR_VOLUME;
  }

  private static CategoryTable epa(
      String pollutant, String unit, double factor, String averaging, double... uppers) {
    return table(
        CategoryScheme.US_EPA_AQI,
        "US EPA AQI",
        pollutant,
        unit,
        factor,
        averaging,
        EPA_LABELS,
        EPA_COLOURS,
        uppers);
  }

  private static CategoryTable eea(String pollutant, String averaging, double... uppers) {
    return table(
        CategoryScheme.EU_EEA_AQI,
        "European AQI",
        pollutant,
        "µg/m³",
        1,
        averaging,
        EEA_LABELS,
        EEA_COLOURS,
        uppers);
  }

  private static CategoryTable hj633(
      String pollutant, String unit, double factor, String averaging, double... uppers) {
    return table(
        CategoryScheme.CHINA_HJ_633,
        "China AQI (HJ 633)",
        pollutant,
        unit,
        factor,
        averaging,
        HJ633_LABELS,
        HJ633_COLOURS,
        uppers);
  }

  private static CategoryTable table(
      CategoryScheme scheme,
      String schemeShort,
      String pollutant,
      String publishedUnit,
      double factor,
      String averaging,
      String[] labels,
      String[] colours,
      double[] uppers) {
    if (uppers.length != labels.length - 1) {
      throw new IllegalStateException(
          scheme.id() + "/" + pollutant + ": " + Arrays.toString(uppers) + " for " + labels.length);
    }
    List<Category> categories = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      double published = i < uppers.length ? uppers[i] : Double.POSITIVE_INFINITY;
      double upper =
          i < uppers.length ? Math.round(published * factor * 10) / 10.0 : Double.POSITIVE_INFINITY;
      categories.add(new Category(labels[i], upper, published, colours[i]));
    }
    String note =
        averaging.startsWith("1 h") ? "" : String.format(HOURLY_AGAINST_LONGER, averaging);
    String title =
        schemeShort
            + " · "
            + POLLUTANT_LABELS.getOrDefault(pollutant, pollutant)
            + " ("
            + averaging
            + " breakpoints)";
    return new CategoryTable(
        scheme, pollutant, title, "µg/m³", publishedUnit, averaging, note, categories);
  }

  /** The tables as plain maps (for JSON), keyed by scheme id and then pollutant. */
  public static Map<String, Map<String, CategoryTable>> byScheme() {
    Map<String, Map<String, CategoryTable>> out = new LinkedHashMap<>();
    for (CategoryTable t : TABLES) {
      out.computeIfAbsent(t.scheme().id(), k -> new LinkedHashMap<>()).put(t.pollutant(), t);
    }
    return out;
  }
}
