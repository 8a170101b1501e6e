package io.terrafield.forecasting.alerts;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * The lifecycle of exceedance alert episodes at one target and pollutant, with hysteresis (a
 * Schmitt trigger on the exceedance probability, as in operational warning services that issue,
 * update and cancel one warning rather than repeat it each run).
 *
 * <ul>
 *   <li><b>Raise</b>: no episode is open and the issue's highest P(value &gt; threshold) over the
 *       alert leads is {@code >= raiseLevel}: a new episode, message RAISED.
 *   <li><b>Hold</b>: an episode is open and the probability is {@code >= clearLevel}: the episode
 *       continues; a message UPDATED is sent only when the category of the median changed or the
 *       probability moved by at least {@code updateStep} since the last message.
 *   <li><b>Clear</b>: an episode is open and the probability is {@code < clearLevel}: message
 *       CLEARED, no episode is open.
 * </ul>
 *
 * <p>With {@code clearLevel < raiseLevel}, a probability oscillating around the raise level keeps
 * one episode open instead of raising and clearing it at each crossing (no flapping); it must fall
 * by {@code raiseLevel − clearLevel} to clear. The episode id is a name-based UUID of target,
 * variable and raising issue time, so a replayed issue stream gives the same ids.
 *
 * <p>Immutable and thread-safe; {@link #next} is a pure function of the open episode (or null) and
 * the issue's signal.
 */
public final class AlertLifecycle {

  private final double raiseLevel;
  private final double clearLevel;
  private final double updateStep;

  /**
   * @param raiseLevel the probability that raises an episode, in (0, 1]
   * @param clearLevel the probability below which an open episode clears, in [0, raiseLevel]
   * @param updateStep the change in probability since the last message that sends an update, in (0,
   *     1]
   * @throws IllegalArgumentException naming the setting and its value
   */
  public AlertLifecycle(double raiseLevel, double clearLevel, double updateStep) {
    if (!(raiseLevel > 0 && raiseLevel <= 1)) {
      throw new IllegalArgumentException("raiseLevel: must be in (0, 1], was " + raiseLevel);
    }
    if (!(clearLevel >= 0 && clearLevel <= raiseLevel)) {
      throw new IllegalArgumentException(
          "clearLevel: must be in [0, raiseLevel=" + raiseLevel + "], was " + clearLevel);
    }
    if (!(updateStep > 0 && updateStep <= 1)) {
      throw new IllegalArgumentException("updateStep: must be in (0, 1], was " + updateStep);
    }
    this.raiseLevel = raiseLevel;
    this.clearLevel = clearLevel;
    this.updateStep = updateStep;
  }

  /** The raise level. */
  public double raiseLevel() {
    return raiseLevel;
  }

  /** The clear level. */
  public double clearLevel() {
    return clearLevel;
  }

  /**
   * The next state and message for one issue.
   *
   * @param open the open episode, or null
   * @param target the station or cell id
   * @param variable the pollutant key
   * @param signal the issue's signal at the target
   */
  public AlertTransition next(Episode open, String target, String variable, AlertSignal signal) {
    Objects.requireNonNull(signal, "signal");
    double p = signal.probability();
    if (open == null) {
      if (p < raiseLevel) {
        return new AlertTransition(null, null);
      }
      String id = episodeId(target, variable, signal);
      Episode raised = new Episode(id, signal.issueTime(), p, signal.category(), p, 1, 1);
      return new AlertTransition(
          raised, new AlertTransition.Message(AlertTransition.Kind.RAISED, id, 1, signal, p));
    }
    double peak = Math.max(open.peakProbability(), p);
    if (p < clearLevel) {
      return new AlertTransition(
          null,
          new AlertTransition.Message(
              AlertTransition.Kind.CLEARED, open.id(), open.messages() + 1, signal, peak));
    }
    boolean changed =
        !Objects.equals(open.sentCategory(), signal.category())
            || Math.abs(p - open.sentProbability()) >= updateStep;
    if (!changed) {
      return new AlertTransition(
          new Episode(
              open.id(),
              open.raisedAt(),
              open.sentProbability(),
              open.sentCategory(),
              peak,
              open.issues() + 1,
              open.messages()),
          null);
    }
    Episode updated =
        new Episode(
            open.id(),
            open.raisedAt(),
            p,
            signal.category(),
            peak,
            open.issues() + 1,
            open.messages() + 1);
    return new AlertTransition(
        updated,
        new AlertTransition.Message(
            AlertTransition.Kind.UPDATED, open.id(), updated.messages(), signal, peak));
  }

  private static String episodeId(String target, String variable, AlertSignal signal) {
    return UUID.nameUUIDFromBytes(
            ("episode|" + variable + "|" + target + "|" + signal.issueTime())
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
