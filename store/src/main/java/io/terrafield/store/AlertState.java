package io.terrafield.store;

/** Where an alert message stands in its episode (see {@link Alert}). */
public enum AlertState {
  /** The first message of an episode: the exceedance probability crossed the raise level. */
  RAISED,
  /** The episode holds and something the analyst sees changed (probability, peak, category). */
  UPDATED,
  /** The last message of an episode: the probability fell below the clear level. */
  CLEARED
}
