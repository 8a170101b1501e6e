package io.terrafield.forecasting.categories;

import java.util.List;

/**
 * The categories of one scheme for one pollutant, ordered from cleanest to worst. Immutable and
 * thread-safe.
 *
 * @param scheme the agency's scheme
 * @param pollutant the collection id of the pollutant ({@code pm25}, {@code pm10}, {@code no2},
 *     {@code so2}, {@code co}, {@code o3})
 * @param title a legend title, e.g. "US EPA AQI · PM2.5 (24-hour breakpoints)"
 * @param unit the unit of {@link Category#upper()}: always µg/m³, the stored unit
 * @param publishedUnit the unit of the agency's table, e.g. ppb
 * @param averaging the averaging period the agency's breakpoints refer to, e.g. "24 h"
 * @param note how the table is applied to hourly values, or empty
 * @param categories the categories, cleanest first; the last one is unbounded
 */
public record CategoryTable(
    CategoryScheme scheme,
    String pollutant,
    String title,
    String unit,
    String publishedUnit,
    String averaging,
    String note,
    List<Category> categories) {

  public CategoryTable {
    categories = List.copyOf(categories);
    if (categories.isEmpty()
        || categories.get(categories.size() - 1).upper() != Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(
          "categories of " + scheme.id() + "/" + pollutant + ": the last must be unbounded");
    }
  }

  /**
   * The category of a concentration in µg/m³; negative values count as the cleanest category.
   *
   * @throws IllegalArgumentException if the value is NaN
   */
  public Category classify(double microgramsPerCubicMetre) {
    return categories.get(indexOf(microgramsPerCubicMetre));
  }

  /** The index (0 = cleanest) of the category of a concentration in µg/m³. */
  public int indexOf(double microgramsPerCubicMetre) {
    if (Double.isNaN(microgramsPerCubicMetre)) {
      throw new IllegalArgumentException(
          "value: NaN has no " + scheme.id() + " category for " + pollutant);
    }
    for (int i = 0; i < categories.size(); i++) {
      if (microgramsPerCubicMetre <= categories.get(i).upper()) {
        return i;
      }
    }
    return categories.size() - 1;
  }
}
