package io.terrafield.causal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationCentringTest {

  @Test
  void centringWithinGroupsRemovesGroupOffsetsFromTheSlopeAndResidualVariance() {
    Random random = new Random(3);
    int n = 3000;
    double[] label = new double[n];
    double[] prediction = new double[n];
    String[] group = new String[n];
    for (int i = 0; i < n; i++) {
      int g = i % 3;
      group[i] = "country" + g;
      double offset = 2.0 * g;
      label[i] = offset + random.nextGaussian();
      // within a country the prediction is 0.5 * label + noise, but the country offset is fully
      // predicted: the pooled slope is steeper than the within-country slope
      prediction[i] = offset + 0.5 * (label[i] - offset) + 0.3 * random.nextGaussian();
    }
    EffectRequest.Calibration pooled = new EffectRequest.Calibration(prediction, label, "pooled");
    EffectRequest.Calibration centred =
        EffectRequest.Calibration.centredWithin(prediction, label, group, "pooled");
    CalibrationFit pooledFit = CalibrationFit.fit(pooled.predictions(), pooled.labels());
    CalibrationFit centredFit = CalibrationFit.fit(centred.predictions(), centred.labels());
    assertThat(pooledFit.slope()).isGreaterThan(0.8);
    assertThat(centredFit.slope()).isCloseTo(0.5, within(0.03));
    assertThat(centredFit.residualVariance()).isCloseTo(0.25 + 0.09, within(0.03));
    assertThat(centred.source()).contains("centred within 3 groups");
  }

  @Test
  void centringRejectsArraysOfDifferentLengths() {
    assertThatThrownBy(
            () ->
                EffectRequest.Calibration.centredWithin(
                    new double[3], new double[3], new String[2], "x"))
        .isInstanceOf(CausalInputException.class)
        .hasMessageContaining("3 predictions, 3 labels and 2 groups");
  }
}
