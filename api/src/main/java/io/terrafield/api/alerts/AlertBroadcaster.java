package io.terrafield.api.alerts;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans new alerts out to the connected server-sent-event clients: each alert is one event (name
 * {@code alert}, id the alert id, data the CloudEvents JSON). A client that cannot be written to is
 * dropped. Thread-safe. Completes all streams at shutdown, before the web server's graceful
 * shutdown waits for open requests.
 */
@Component
public class AlertBroadcaster implements SmartLifecycle {

  private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
  private volatile boolean running;

  /** A new stream that receives every alert published from now on. */
  public SseEmitter subscribe() {
    SseEmitter emitter = new SseEmitter(0L);
    emitter.onCompletion(() -> emitters.remove(emitter));
    emitter.onTimeout(() -> emitters.remove(emitter));
    emitter.onError(e -> emitters.remove(emitter));
    try {
      emitter.send(SseEmitter.event().comment("subscribed to exceedance alerts"));
    } catch (IOException e) {
      emitter.completeWithError(e);
      return emitter;
    }
    emitters.add(emitter);
    return emitter;
  }

  /** Sends one alert to every connected client. */
  public void publish(String id, String cloudEventJson) {
    for (SseEmitter emitter : emitters) {
      try {
        emitter.send(
            SseEmitter.event()
                .id(id)
                .name("alert")
                .data(cloudEventJson, MediaType.APPLICATION_JSON));
      } catch (IOException | IllegalStateException e) {
        emitters.remove(emitter);
      }
    }
  }

  /** Number of connected clients. */
  public int subscribers() {
    return emitters.size();
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    for (SseEmitter emitter : emitters) {
      emitter.complete();
    }
    emitters.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
