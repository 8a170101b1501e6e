package io.terrafield.causal;

/**
 * Bad input to an effect estimate: a missing or non-binary treatment, an arm without units, perfect
 * separation, a constant outcome, missing covariate values, a raster that does not cover a unit, or
 * a calibration set that cannot correct anything. The message names the field and the offending
 * value; the CLI prints it as {@code error: <message>} and exits with status 2.
 */
public final class CausalInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the field and the value. */
  public CausalInputException(String message) {
    super(message);
  }
}
