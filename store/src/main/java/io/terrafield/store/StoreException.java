package io.terrafield.store;

/** A store operation failed in the database (connection lost, constraint violated, ...). */
public class StoreException extends RuntimeException {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
