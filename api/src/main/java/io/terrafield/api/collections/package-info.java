/**
 * OGC API – EDR collections of pollutant observations: the list of collections and the {@code
 * locations} query that returns stations with their latest hourly value as GeoJSON (RFC 7946).
 */
package io.terrafield.api.collections;
