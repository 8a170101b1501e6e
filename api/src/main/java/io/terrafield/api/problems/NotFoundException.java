package io.terrafield.api.problems;

/** A named resource does not exist; answered with 404 problem+json. */
public class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message);
  }
}
