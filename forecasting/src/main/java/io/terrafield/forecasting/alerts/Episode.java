package io.terrafield.forecasting.alerts;

import java.time.Instant;

/**
 * An open alert episode of one target and pollutant: the state {@link AlertLifecycle} carries from
 * one issue to the next (the forecast job keeps it in Flink keyed state).
 *
 * @param id the episode id (stable: derived from target, variable and the raising issue)
 * @param raisedAt the issue time that raised it (UTC)
 * @param sentProbability the probability of the last message sent
 * @param sentCategory the category of the last message sent, or null
 * @param peakProbability the highest probability seen during the episode
 * @param issues how many issues the episode has held for (1 at raising)
 * @param messages how many messages it has sent (1 at raising)
 */
public record Episode(
    String id,
    Instant raisedAt,
    double sentProbability,
    String sentCategory,
    double peakProbability,
    int issues,
    int messages) {}
