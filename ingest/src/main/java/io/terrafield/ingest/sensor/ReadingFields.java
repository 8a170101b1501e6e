package io.terrafield.ingest.sensor;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.terrafield.store.Variable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of one reading that the validator looks at, read with Jackson's streaming parser
 * instead of a {@link JsonNode} tree: one pass over the message, no map of all fields, no node per
 * value. A value that is an object or an array (always invalid) is kept as a tree for its error
 * message. Unknown fields are skipped. When a field occurs twice the last one counts, as in a tree.
 * Not thread-safe; one instance per message.
 */
final class ReadingFields {

  static final int STATION = Reading.VARIABLES;
  static final int TIME = STATION + 1;
  static final int LON = STATION + 2;
  static final int LAT = STATION + 3;
  static final int UNIT = STATION + 4;
  static final int WD = STATION + 5;
  private static final int SLOTS = STATION + 6;

  private static final Map<String, Integer> SLOT_OF_NAME = new HashMap<>();

  static {
    for (Variable v : Variable.values()) {
      SLOT_OF_NAME.put(v.key(), v.ordinal());
    }
    SLOT_OF_NAME.put("station", STATION);
    SLOT_OF_NAME.put("time", TIME);
    SLOT_OF_NAME.put("lon", LON);
    SLOT_OF_NAME.put("lat", LAT);
    SLOT_OF_NAME.put("unit", UNIT);
    SLOT_OF_NAME.put("wd", WD);
  }

  /** The token of each slot's value, {@code null} when absent. */
  final JsonToken[] tokens = new JsonToken[SLOTS];

  /** Scalar values as text (as {@link JsonNode#asText()} gives them; "" for containers). */
  final String[] texts = new String[SLOTS];

  /** Numeric values. */
  final double[] numbers = new double[SLOTS];

  /** Values that are not strings or numbers (and the unit), as trees. */
  final JsonNode[] trees = new JsonNode[SLOTS];

  /**
   * Reads the object whose {@link JsonToken#START_OBJECT} the parser is on, to its end.
   *
   * @throws IOException when the JSON is malformed
   */
  static ReadingFields read(JsonParser p) throws IOException {
    ReadingFields f = new ReadingFields();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t == null) {
        throw new JsonParseException(
            p, "Unexpected end-of-input: expected close marker for Object");
      }
      Integer slot = SLOT_OF_NAME.get(p.currentName());
      JsonToken value = p.nextToken();
      if (slot == null) {
        p.skipChildren();
        continue;
      }
      f.set(slot, value, p);
    }
    return f;
  }

  private void set(int slot, JsonToken value, JsonParser p) throws IOException {
    tokens[slot] = value;
    trees[slot] = null;
    texts[slot] = null;
    if (slot == UNIT) {
      trees[slot] = value == JsonToken.VALUE_NULL ? null : p.readValueAsTree();
      return;
    }
    switch (value) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        numbers[slot] = p.getDoubleValue();
        texts[slot] = p.getText();
      }
      case VALUE_STRING -> texts[slot] = p.getText();
      case VALUE_NULL -> {}
      case START_OBJECT, START_ARRAY, VALUE_TRUE, VALUE_FALSE -> {
        trees[slot] = p.readValueAsTree();
        texts[slot] = trees[slot].asText();
      }
      default -> texts[slot] = p.getText();
    }
  }

  boolean absentOrNull(int slot) {
    return tokens[slot] == null || tokens[slot] == JsonToken.VALUE_NULL;
  }

  boolean isNumber(int slot) {
    return tokens[slot] == JsonToken.VALUE_NUMBER_INT
        || tokens[slot] == JsonToken.VALUE_NUMBER_FLOAT;
  }

  boolean isString(int slot) {
    return tokens[slot] == JsonToken.VALUE_STRING;
  }
}
