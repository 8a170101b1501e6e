package io.terrafield.forecasting.categories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AirQualityCategoriesTest {

  @ParameterizedTest(name = "{0} {1} {2} µg/m³ -> {3}")
  @CsvSource({
    // Boundaries of the published tables: a value equal to an upper bound is in that category.
    "us-epa-aqi, pm25, 9.0, Good",
    "us-epa-aqi, pm25, 9.05, Moderate",
    "us-epa-aqi, pm25, 35.4, Moderate",
    "us-epa-aqi, pm25, 150, Very Unhealthy",
    "us-epa-aqi, pm25, 500, Hazardous",
    "us-epa-aqi, pm10, 155, Unhealthy for Sensitive Groups",
    // NO2 100 ppb = 188.2 µg/m³ at 25 °C.
    "us-epa-aqi, no2, 188, Moderate",
    "us-epa-aqi, no2, 189, Unhealthy for Sensitive Groups",
    // CO 4.4 ppm = 5040.6 µg/m³.
    "us-epa-aqi, co, 5000, Good",
    "eu-eea-aqi, pm25, 5, Good",
    "eu-eea-aqi, pm25, 16, Moderate",
    "eu-eea-aqi, no2, 160, Extremely poor",
    "cn-hj-633, pm25, 35, Excellent",
    "cn-hj-633, pm25, 75, Good",
    "cn-hj-633, pm25, 76, Lightly polluted",
    "cn-hj-633, pm25, 251, Severely polluted",
    "cn-hj-633, co, 9000, Good",
    "cn-hj-633, o3, 161, Good",
  })
  void classifiesAsThePublishedTables(
      String scheme, String pollutant, double value, String expected) {
    CategoryTable table =
        AirQualityCategories.table(CategoryScheme.parse(scheme), pollutant).orElseThrow();
    assertThat(table.classify(value).label()).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(CategoryScheme.class)
  void everyTableHasSixIncreasingCategoriesInMicrogramsPerCubicMetre(CategoryScheme scheme) {
    assertThat(AirQualityCategories.pollutants(scheme)).isNotEmpty();
    for (String pollutant : AirQualityCategories.pollutants(scheme)) {
      CategoryTable t = AirQualityCategories.table(scheme, pollutant).orElseThrow();
      assertThat(t.unit()).isEqualTo("µg/m³");
      assertThat(t.categories()).hasSize(6);
      for (int i = 1; i < 6; i++) {
        assertThat(t.categories().get(i).upper())
            .as("%s %s category %d", scheme, pollutant, i)
            .isGreaterThan(t.categories().get(i - 1).upper());
      }
      assertThat(t.title()).isNotBlank();
    }
  }

  @Test
  void theEuropeanIndexHasNoCarbonMonoxideBandAndChinaCoversAllSixPollutants() {
    assertThat(AirQualityCategories.table(CategoryScheme.EU_EEA_AQI, "co")).isEmpty();
    assertThat(AirQualityCategories.pollutants(CategoryScheme.CHINA_HJ_633))
        .containsExactlyInAnyOrder("pm25", "pm10", "so2", "no2", "co", "o3");
  }

  @Test
  void badInputNamesTheValue() {
    assertThatThrownBy(() -> CategoryScheme.parse("aqi"))
        .hasMessageContaining("'aqi'")
        .hasMessageContaining("us-epa-aqi");
    CategoryTable t = AirQualityCategories.table(CategoryScheme.US_EPA_AQI, "pm25").orElseThrow();
    assertThatThrownBy(() -> t.classify(Double.NaN)).hasMessageContaining("NaN");
  }
}
