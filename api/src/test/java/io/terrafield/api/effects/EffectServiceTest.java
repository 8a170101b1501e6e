package io.terrafield.api.effects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.terrafield.api.problems.ServiceBusyException;
import io.terrafield.causal.EffectRequest;
import io.terrafield.causal.UnitTable;
import io.terrafield.store.Stores;
import io.terrafield.store.TerrafieldStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bounded worker pool: a full pool refuses with 503 before storing anything. */
class EffectServiceTest {

  final TerrafieldStore store =
      Stores.open("jdbc:h2:mem:effects-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  final Queue<Runnable> pending = new ArrayDeque<>();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final EffectService service =
      new EffectService(
          store,
          pending::add,
          2,
          Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC),
          meters);

  @AfterEach
  void close() {
    store.close();
  }

  static EffectRequest request() {
    return EffectRequest.builder(
            UnitTable.ofNumeric(
                Map.of("t", new double[] {1, 0, 1, 0}, "y", new double[] {3, 1, 2, 0})),
            "t",
            "y")
        .estimator(EffectRequest.Estimator.parse("dim"))
        .build();
  }

  @Test
  void aFullPoolRefusesUntilAWorkerFinishes() {
    service.submit("{\"n\":1}", request(), null);
    service.submit("{\"n\":2}", request(), null);

    assertThatThrownBy(() -> service.submit("{\"n\":3}", request(), null))
        .isInstanceOf(ServiceBusyException.class)
        .hasMessageContaining("2 requests are already queued or running");
    assertThat(store.effects(10)).hasSize(2);
    assertThat(meters.get("terrafield.effects.in.flight").gauge().value()).isEqualTo(2.0);

    pending.poll().run();

    EffectService.Submission third = service.submit("{\"n\":3}", request(), null);
    assertThat(third.created()).isTrue();
    assertThat(store.effects(10)).hasSize(3);
    assertThat(store.effects(10))
        .filteredOn(e -> e.status().equals("succeeded"))
        .singleElement()
        .satisfies(e -> assertThat(e.result()).contains("\"estimate\":2.0"));
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyIsAnsweredEvenWhenThePoolIsFull() {
    EffectService.Submission first = service.submit("{}", request(), "k");
    service.submit("{\"n\":2}", request(), null);

    EffectService.Submission again = service.submit("{}", request(), "k");

    assertThat(again.created()).isFalse();
    assertThat(again.effect().id()).isEqualTo(first.effect().id());
    assertThat(pending).hasSize(2);
    assertThat(service.inFlight()).isEqualTo(2);
  }

  @Test
  void aReservationHoldsASlotUntilItIsUsedOrReleased() {
    EffectService.Reservation first = service.reserve();
    EffectService.Reservation second = service.reserve();

    assertThatThrownBy(service::reserve)
        .isInstanceOf(ServiceBusyException.class)
        .hasMessageContaining("2 requests are already queued or running")
        .hasMessageContaining("terrafield.effects.capacity");
    assertThat(meters.get("terrafield.effects.in.flight").gauge().value()).isEqualTo(2.0);

    service.submit("{\"n\":1}", request(), null, first);
    first.release(); // used by the submission: nothing to give back
    second.release();
    second.release(); // once only

    assertThat(meters.get("terrafield.effects.in.flight").gauge().value()).isEqualTo(1.0);
    assertThat(store.effects(10)).hasSize(1);
    pending.poll().run();
    assertThat(meters.get("terrafield.effects.in.flight").gauge().value()).isEqualTo(0.0);
  }

  @Test
  void aRefusedEstimateIsStoredAsFailedWithTheReason() {
    // Treatment follows x: the arms are unbalanced, so the difference in means is refused.
    int n = 200;
    double[] x = new double[n];
    double[] t = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i / (double) n;
      t[i] = i % 3 == 0 || x[i] > 0.6 ? 1 : 0;
      y[i] = 2 * x[i] + t[i];
    }
    EffectRequest unbalanced =
        EffectRequest.builder(UnitTable.ofNumeric(Map.of("t", t, "y", y, "x", x)), "t", "y")
            .estimator(EffectRequest.Estimator.parse("dim"))
            .covariates(java.util.List.of("x"))
            .build();

    EffectService.Submission s = service.submit("{}", unbalanced, null);
    pending.poll().run();

    assertThat(store.effects(10))
        .filteredOn(e -> e.id().equals(s.effect().id()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo("failed");
              assertThat(e.error()).contains("covariates unbalanced", "x SMD");
            });
  }
}
