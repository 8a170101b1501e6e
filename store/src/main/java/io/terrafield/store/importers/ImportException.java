package io.terrafield.store.importers;

import java.nio.file.Path;

/** A data file is missing or malformed; the message names the file, line, column and value. */
public class ImportException extends RuntimeException {

  public ImportException(String message) {
    super(message);
  }

  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }

  static ImportException badValue(Path file, long line, String column, String value, String why) {
    return new ImportException(
        file.getFileName()
            + " line "
            + line
            + ": column "
            + column
            + ": "
            + why
            + ": '"
            + value
            + "'");
  }
}
