package io.terrafield.forecasting.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.terrafield.forecasting.ForecastingException;
import io.terrafield.forecasting.Station;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForecastDomainTest {
  // three of the Beijing stations
  static final List<Station> NETWORK =
      List.of(
          new Station("Dongsi", 116.417, 39.929),
          new Station("Dingling", 116.220, 40.292),
          new Station("Huairou", 116.628, 40.328));

  @Test
  void theDefaultRadiusIsTwiceTheWidestNearestNeighbourDistance() {
    ForecastDomain d = ForecastDomain.around(NETWORK, 0);
    double widest =
        Math.max(
            NETWORK.get(0).distanceKm(116.220, 40.292), NETWORK.get(2).distanceKm(116.220, 40.292));
    assertThat(d.radiusKm()).isBetween(2 * 34.0, 2 * widest + 1e-9);
    assertThat(d.contains(116.4, 40.1)).isTrue();
    assertThat(d.contains(2.35, 48.85)).isFalse();
    assertThat(d.distanceKm(2.35, 48.85)).isBetween(7500.0, 8500.0);
    assertThat(d.nearest(116.42, 39.93).id()).isEqualTo("Dongsi");
  }

  @Test
  void aConfiguredRadiusWinsAndTheBboxCoversTheStationsPlusTheRadius() {
    ForecastDomain d = ForecastDomain.around(NETWORK, 20);
    assertThat(d.radiusKm()).isEqualTo(20);
    double[] box = d.bbox();
    assertThat(box[0]).isLessThan(116.220);
    assertThat(box[3]).isGreaterThan(40.328);
    assertThat(box[3] - 40.328).isBetween(0.17, 0.19);
  }

  @Test
  void badRadiiAndEmptyNetworksAreRefusedByName() {
    assertThatThrownBy(() -> new ForecastDomain(NETWORK, Double.POSITIVE_INFINITY))
        .isInstanceOf(ForecastingException.class)
        .hasMessageStartingWith("radiusKm:");
    assertThatThrownBy(() -> ForecastDomain.around(List.of(), 0))
        .hasMessageStartingWith("stations:");
  }

  @Test
  void exceedanceIsReadOffTheQuantileFunction() {
    double[] q = new double[199];
    for (int k = 0; k < q.length; k++) {
      q[k] = (k + 1) / 2.0; // uniform on [0, 100]: q(u) = 100 u
    }
    assertThat(QuantileFunctions.exceedance(q, 75))
        .isCloseTo(0.25, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(QuantileFunctions.exceedance(q, 1000)).isLessThan(0.01);
    assertThat(QuantileFunctions.exceedance(q, -1)).isGreaterThan(0.99);
    assertThat(QuantileFunctions.mean(q))
        .isCloseTo(50, org.assertj.core.api.Assertions.within(1e-9));
  }
}
