package io.terrafield.forecasting.categories;

/**
 * One category of a scheme for one pollutant: values up to and including {@code upper} (in the
 * stored unit, µg/m³) and above the previous category's upper bound belong to it.
 *
 * @param label the agency's name of the category, e.g. "Unhealthy for Sensitive Groups"
 * @param upper the upper bound in µg/m³, {@link Double#POSITIVE_INFINITY} for the last category
 * @param publishedUpper the same bound in the agency's unit ({@link CategoryTable#publishedUnit()})
 * @param colour the agency's colour, {@code #rrggbb}
 */
public record Category(String label, double upper, double publishedUpper, String colour) {}
