package io.terrafield.forecasting;

/** Bad input to the forecasting module: the message names the field and the offending value. */
public final class ForecastingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message names the field and the value. */
  public ForecastingException(String message) {
    super(message);
  }

  /** Creates an exception with a cause (I/O or parse failures). */
  public ForecastingException(String message, Throwable cause) {
    super(message, cause);
  }
}
