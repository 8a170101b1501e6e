package io.terrafield.api.alerts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One connected SSE client. While its replay from the store runs, live alerts are held back and
 * sent after it; a live alert the replay already sent is skipped (an alert is stored before it
 * reaches Kafka), so the client sees each alert once and the replayed ones first. Thread-safe:
 * every write to the stream is serialised here (the Kafka thread, the heartbeat thread and the
 * request thread write).
 */
final class AlertSubscriber {
  private final SseEmitter emitter;
  private boolean replaying = true;
  private final List<String[]> held = new ArrayList<>();
  private final Set<String> replayed = new HashSet<>();
  private boolean closed;

  AlertSubscriber(SseEmitter emitter) {
    this.emitter = emitter;
  }

  SseEmitter emitter() {
    return emitter;
  }

  /** Sends an alert now (replay) and remembers its id. */
  synchronized boolean replay(String id, String json) {
    replayed.add(id);
    return write(id, json);
  }

  /** A live alert: held while the replay runs, else sent. Returns false once the client is gone. */
  synchronized boolean live(String id, String json) {
    if (replayed.contains(id)) {
      return !closed;
    }
    if (replaying) {
      held.add(new String[] {id, json});
      return !closed;
    }
    return write(id, json);
  }

  /** Ends the replay: sends the held live alerts the replay did not send. */
  synchronized boolean endReplay() {
    replaying = false;
    boolean ok = !closed;
    for (String[] alert : held) {
      if (!replayed.contains(alert[0])) {
        ok = write(alert[0], alert[1]);
      }
    }
    held.clear();
    return ok;
  }

  /** A comment line (heartbeat, notes). */
  synchronized boolean comment(String text) {
    if (closed) {
      return false;
    }
    try {
      emitter.send(SseEmitter.event().comment(text));
      return true;
    } catch (IOException | IllegalStateException e) {
      closed = true;
      return false;
    }
  }

  synchronized void close() {
    closed = true;
  }

  private boolean write(String id, String json) {
    if (closed) {
      return false;
    }
    try {
      emitter.send(SseEmitter.event().id(id).name("alert").data(json, MediaType.APPLICATION_JSON));
      return true;
    } catch (IOException | IllegalStateException e) {
      closed = true;
      return false;
    }
  }
}
