package io.terrafield.api.alerts;

import io.terrafield.store.Alert;
import io.terrafield.store.AlertStore;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans alerts out to the connected server-sent-event clients: each alert is one event (name {@code
 * alert}, id the alert id, data the CloudEvents JSON); every {@code terrafield.alerts.heartbeat}
 * (default 15 s) each client gets a comment line ({@code :heartbeat}) so proxies keep the stream
 * open and clients notice a dead one. A client that reconnects with {@code Last-Event-ID} first
 * gets the stored alerts after that one (oldest first, by issue time then id), then the live ones.
 * An alert id published twice (Kafka redelivery) is sent once. A client that cannot be written to
 * is dropped. Thread-safe. Completes all streams at shutdown, before the web server's graceful
 * shutdown waits for open requests.
 */
@Component
public class AlertBroadcaster implements SmartLifecycle {

  /** At most this many stored alerts are replayed to one reconnecting client. */
  static final int MAX_REPLAY = 10_000;

  private static final int REMEMBERED_IDS = 10_000;

  private final List<AlertSubscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Set<String> recent = new LinkedHashSet<>();
  private final AlertStore store;
  private final Duration heartbeat;
  private ScheduledExecutorService heartbeats;
  private volatile boolean running;

  /**
   * @param heartbeat the interval of the comment lines, &gt; 0
   * @throws IllegalArgumentException naming {@code terrafield.alerts.heartbeat} when not positive
   */
  public AlertBroadcaster(
      AlertStore store, @Value("${terrafield.alerts.heartbeat:15s}") Duration heartbeat) {
    if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException(
          "terrafield.alerts.heartbeat: must be a positive duration such as 15s, was " + heartbeat);
    }
    this.store = store;
    this.heartbeat = heartbeat;
  }

  /** A new stream that receives every alert published from now on. */
  public SseEmitter subscribe() {
    return subscribe(null);
  }

  /**
   * A new stream: first the stored alerts after {@code lastEventId} (none when null or unknown, a
   * comment says so), then every alert published from now on.
   */
  public SseEmitter subscribe(String lastEventId) {
    SseEmitter emitter = new SseEmitter(0L);
    AlertSubscriber subscriber = new AlertSubscriber(emitter);
    emitter.onCompletion(() -> drop(subscriber));
    emitter.onTimeout(() -> drop(subscriber));
    emitter.onError(e -> drop(subscriber));
    if (!subscriber.comment("subscribed to exceedance alerts")) {
      return emitter;
    }
    subscribers.add(subscriber);
    if (lastEventId != null && !lastEventId.isBlank()) {
      replay(subscriber, lastEventId.trim());
    }
    if (!subscriber.endReplay()) {
      drop(subscriber);
    }
    return emitter;
  }

  private void replay(AlertSubscriber subscriber, String lastEventId) {
    Optional<Alert> last = store.alert(lastEventId);
    if (last.isEmpty()) {
      subscriber.comment("Last-Event-ID '" + lastEventId + "' is not a stored alert: no replay");
      return;
    }
    boolean after = false;
    for (Alert alert : store.alertsIssuedSince(last.get().issuedAt(), MAX_REPLAY)) {
      if (after && alert.payload() != null) {
        if (!subscriber.replay(alert.id(), alert.payload())) {
          return;
        }
      }
      after |= alert.id().equals(lastEventId);
    }
  }

  /** Sends one alert to every connected client, once per id. */
  public void publish(String id, String cloudEventJson) {
    if (!remember(id)) {
      return;
    }
    for (AlertSubscriber subscriber : subscribers) {
      if (!subscriber.live(id, cloudEventJson)) {
        drop(subscriber);
      }
    }
  }

  /** Whether the id is new (and remembers it). */
  private boolean remember(String id) {
    synchronized (recent) {
      if (!recent.add(id)) {
        return false;
      }
      if (recent.size() > REMEMBERED_IDS) {
        recent.remove(recent.iterator().next());
      }
      return true;
    }
  }

  private void drop(AlertSubscriber subscriber) {
    subscriber.close();
    subscribers.remove(subscriber);
  }

  /** Number of connected clients. */
  public int subscribers() {
    return subscribers.size();
  }

  private void beat() {
    for (AlertSubscriber subscriber : subscribers) {
      if (!subscriber.comment("heartbeat")) {
        drop(subscriber);
      }
    }
  }

  @Override
  public void start() {
    heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "terrafield-sse-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeats.scheduleAtFixedRate(
        this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (heartbeats != null) {
      heartbeats.shutdownNow();
      heartbeats = null;
    }
    for (AlertSubscriber subscriber : subscribers) {
      subscriber.close();
      subscriber.emitter().complete();
    }
    subscribers.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
