package io.terrafield.forecasting;

/**
 * Progress of a {@link NeuralField} fit, e.g. for a progress bar, a log line or a dashboard.
 *
 * <p>{@link #onProgress} is called on the fitting thread after every training step, so it must
 * return quickly (throttle expensive reporting yourself, e.g. on {@code step % 10}). An exception
 * it throws aborts the fit.
 */
@FunctionalInterface
public interface FitListener {
  /**
   * One training step done.
   *
   * @param epoch the current epoch, 1 to {@code epochs}
   * @param epochs epochs of the fit
   * @param step training steps done so far, 1 to {@code steps} (the last call has {@code step ==
   *     steps})
   * @param steps training steps of the whole fit
   * @param loss exponentially smoothed training loss (negative log posterior per observed row), NaN
   *     until a first step had a finite loss
   */
  void onProgress(int epoch, int epochs, long step, long steps, double loss);

  /** A listener that ignores progress. */
  static FitListener none() {
    return (epoch, epochs, step, steps, loss) -> {};
  }
}
