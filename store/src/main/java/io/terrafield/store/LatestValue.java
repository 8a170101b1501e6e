package io.terrafield.store;

import java.time.Instant;

/**
 * The newest stored value of one variable at one station, and how many observations of it the store
 * holds.
 */
public record LatestValue(
    Station station, Variable variable, double value, Instant time, long count) {}
