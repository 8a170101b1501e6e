package io.terrafield.api.forecasts;

import static org.assertj.core.api.Assertions.assertThat;

import io.terrafield.forecasting.PlausibleRange;
import io.terrafield.store.Variable;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The served forecasts are clamped to the same plausible range the sensor stream validates. */
class PlausibleRangeAgreementTest {
  @Test
  void everyPollutantHasTheValidatorsMaximum() {
    Arrays.stream(Variable.values())
        .filter(Variable::isPollutant)
        .forEach(
            v -> assertThat(PlausibleRange.max(v.key())).as(v.key()).isEqualTo(v.maxPlausible()));
  }
}
