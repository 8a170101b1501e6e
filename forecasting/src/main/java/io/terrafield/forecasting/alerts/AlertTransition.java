package io.terrafield.forecasting.alerts;

/**
 * The result of one issue for one target: the episode state after it (null: no open episode) and
 * the message to send, if any.
 *
 * @param episode the open episode after the issue, or null when none is open
 * @param message what to send, or null when nothing changed that an analyst needs to see
 */
public record AlertTransition(Episode episode, Message message) {

  /** Where the message stands in its episode. */
  public enum Kind {
    /** The probability crossed the raise level: a new episode. */
    RAISED,
    /** The episode holds and its category or probability changed noticeably. */
    UPDATED,
    /** The probability fell below the clear level: the episode ends. */
    CLEARED
  }

  /**
   * One alert message.
   *
   * @param kind raised, updated or cleared
   * @param episodeId the episode
   * @param sequence the message's number in its episode, 1 for the raising message
   * @param signal the signal the message reports
   * @param peakProbability the highest probability of the episode so far
   */
  public record Message(
      Kind kind, String episodeId, int sequence, AlertSignal signal, double peakProbability) {}
}
