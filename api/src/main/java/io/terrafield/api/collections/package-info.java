/**
 * OGC API – EDR collections of pollutant observations: the collections with their extent and the
 * data queries each answers ({@link io.terrafield.api.collections.EdrQueries}), the {@code
 * locations} query (stations with their latest hourly value as RFC 7946 GeoJSON) and {@code
 * locations/{locId}}, and the query parameters common to every EDR query ({@link
 * io.terrafield.api.collections.EdrParameters}: f, crs, parameter-name, z, datetime), checked once
 * before any query controller runs.
 */
package io.terrafield.api.collections;
