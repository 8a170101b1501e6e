package io.terrafield.api.forecasts;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The EDR {@code datetime} parameter as a selection of valid times: an instant selects the hour
 * containing it; an interval {@code a/b} selects the valid times in [a, b] (inclusive), {@code ..}
 * being an open end; absent, every valid time. Thread-safe (immutable).
 *
 * @param text the parameter as given (null when absent)
 * @param from the first selected instant, inclusive ({@link Instant#MIN} when open)
 * @param to the last selected instant, inclusive ({@link Instant#MAX} when open)
 */
record ValidTimes(String text, Instant from, Instant to) {

  /** Every valid time. */
  static final ValidTimes ALL = new ValidTimes(null, Instant.MIN, Instant.MAX);

  /**
   * Parses {@code datetime}.
   *
   * @throws IllegalArgumentException naming {@code datetime} and the value when it is neither an
   *     RFC 3339 instant nor an interval of them, or ends before it starts
   */
  static ValidTimes parse(String datetime) {
    if (datetime == null || datetime.isBlank()) {
      return ALL;
    }
    try {
      String[] parts = datetime.split("/", -1);
      if (parts.length == 1) {
        Instant hour = Instant.parse(parts[0].trim()).truncatedTo(ChronoUnit.HOURS);
        return new ValidTimes(datetime, hour, hour);
      }
      if (parts.length == 2 && !(isOpen(parts[0]) && isOpen(parts[1]))) {
        Instant from = isOpen(parts[0]) ? Instant.MIN : Instant.parse(parts[0].trim());
        Instant to = isOpen(parts[1]) ? Instant.MAX : Instant.parse(parts[1].trim());
        if (from.isAfter(to)) {
          throw new IllegalArgumentException("datetime: '" + datetime + "' ends before it starts");
        }
        return new ValidTimes(datetime, from, to);
      }
    } catch (DateTimeParseException e) {
      // the message below names the value
    }
    throw new IllegalArgumentException(
        "datetime: '"
            + datetime
            + "' is not an instant or interval like 2016-02-05T16:00:00Z or"
            + " 2016-02-05T16:00:00Z/2016-02-06T15:00:00Z (.. for an open end)");
  }

  private static boolean isOpen(String part) {
    return part.trim().equals("..") || part.isBlank();
  }

  /** Whether the valid time is selected. */
  boolean contains(Instant t) {
    return !t.isBefore(from) && !t.isAfter(to);
  }

  /**
   * The indices of the selected valid times of an issue.
   *
   * @throws IllegalArgumentException naming {@code datetime} and the issue's valid times when none
   *     is selected
   */
  int[] select(StoredIssue issue) {
    List<Integer> out = new ArrayList<>();
    List<Instant> times = issue.validTimes();
    for (int i = 0; i < times.size(); i++) {
      if (contains(times.get(i))) {
        out.add(i);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "datetime: no forecast hour in "
              + text
              + "; the issue of "
              + issue.issueTime()
              + " covers "
              + times.get(0)
              + "/"
              + times.get(times.size() - 1));
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
