package io.terrafield.api.collections;

/** A request named a collection that does not exist; answered with 404 problem+json. */
public class UnknownCollectionException extends RuntimeException {
  public UnknownCollectionException(String message) {
    super(message);
  }
}
