package io.terrafield.ingest.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.terrafield.store.Station;
import io.terrafield.store.Variable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadingValidatorTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2016-03-01T00:00:00Z"), ZoneOffset.UTC);
  static final ReadingValidator VALIDATOR =
      new ReadingValidator(
          Map.of("Dongsi", new Station("Dongsi", null, 116.417, 39.929, null, "beijing", null)),
          CLOCK,
          Duration.ofHours(1),
          64 * 1024);

  @Test
  void acceptsARealBeijingReading() {
    var outcome =
        VALIDATOR.validate(
            "{\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00+08:00\",\"lon\":116.417,"
                + "\"lat\":39.929,\"pm25\":9,\"pm10\":9,\"so2\":3,\"no2\":17,\"co\":300,\"o3\":89,"
                + "\"temp\":-0.5,\"pres\":1024.5,\"dewp\":-21.4,\"rain\":0,\"wd\":\"NNW\","
                + "\"wspm\":5.7}");
    assertThat(outcome.rejection()).isNull();
    var o = outcome.observation();
    assertThat(o.stationId()).isEqualTo("Dongsi");
    assertThat(o.time()).isEqualTo(Instant.parse("2013-02-28T16:00:00Z"));
    assertThat(o.value(Variable.PM25)).isEqualTo(9.0);
    assertThat(o.value(Variable.PRES)).isEqualTo(1024.5);
    assertThat(o.windDirection()).isEqualTo("NNW");
    assertThat(o.values()).hasSize(11);
  }

  @Test
  void naAndNullMeanNotMeasured() {
    var o =
        VALIDATOR
            .validate(
                "{\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":\"NA\","
                    + "\"pm10\":null,\"no2\":\"17.5\"}")
            .observation();
    assertThat(o.values()).containsOnlyKeys(Variable.NO2);
    assertThat(o.value(Variable.NO2)).isEqualTo(17.5);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed JSON | {\"station\":\"Dongsi\", | payload | payload: malformed JSON",
        "not an object | [1,2,3] | payload | payload: expected a JSON object, got ARRAY",
        "empty message | '' | payload | payload: expected a JSON object",
        "missing station | {\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":5} | station | station: missing",
        "unknown station | {\"station\":\"Atlantis\",\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":5}"
            + " | station | station: unknown station 'Atlantis'",
        "missing time | {\"station\":\"Dongsi\",\"pm25\":5} | time | time: missing",
        "bad time | {\"station\":\"Dongsi\",\"time\":\"yesterday\",\"pm25\":5} | time"
            + " | time: 'yesterday' is not an ISO-8601 date-time",
        "far future | {\"station\":\"Dongsi\",\"time\":\"2099-01-01T00:00:00Z\",\"pm25\":5} | time"
            + " | time: 2099-01-01T00:00:00Z is in the future",
        "latitude | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"lat\":95,\"pm25\":5}"
            + " | lat | lat: 95 is out of range [-90, 90]",
        "longitude | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"lon\":-181.5,"
            + "\"pm25\":5} | lon | lon: -181.5 is out of range [-180, 180]",
        "no values | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":\"NA\"}"
            + " | payload | payload: no measured value",
      })
  void rejectsBadInputNamingFieldAndValue(
      String name, String payload, String field, String reasonStart) {
    var outcome = VALIDATOR.validate(payload);
    assertThat(outcome.observation()).isNull();
    assertThat(outcome.droppedVariables()).isEmpty();
    assertThat(outcome.rejection().scope()).isEqualTo(Rejection.READING);
    assertThat(outcome.rejection().field()).isEqualTo(field);
    assertThat(outcome.rejection().reason()).startsWith(reasonStart);
    assertThat(outcome.rejection().payload()).isEqualTo(payload);
    assertThat(outcome.rejection().rejectedAt()).isEqualTo(CLOCK.instant());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "NaN | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":NaN} | pm25"
            + " | pm25: NaN is not a finite number",
        "NaN as text | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":\"NaN\"}"
            + " | pm25 | pm25: NaN is not a finite number",
        "negative | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":-3} | pm25"
            + " | pm25: -3 is outside the plausible range [0, 2000] µg/m³",
        "absurd | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":2500.5} | pm25"
            + " | pm25: 2500.5 is outside the plausible range [0, 2000] µg/m³",
        "text value | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"o3\":\"high\"} | o3"
            + " | o3: 'high' is not a number",
        "object value | {\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"o3\":{}} | o3"
            + " | o3: expected a number, got OBJECT",
      })
  void dropsAnInvalidVariableNamingItAndKeepsTheOthers(
      String name, String payload, String field, String reasonStart) {
    String withPm10 = payload.replace("{\"station\"", "{\"pm10\":44,\"station\"");
    var outcome = VALIDATOR.validate(withPm10);
    assertThat(outcome.rejection()).isNull();
    assertThat(outcome.observation().values()).containsOnlyKeys(Variable.PM10);
    assertThat(outcome.droppedVariables())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.scope()).isEqualTo(Rejection.VARIABLE);
              assertThat(r.field()).isEqualTo(field);
              assertThat(r.reason()).startsWith(reasonStart);
              assertThat(r.payload()).isEqualTo(withPm10);
            });

    // Alone, the invalid variable leaves nothing: the reading is rejected too, once.
    var alone = VALIDATOR.validate(payload);
    assertThat(alone.observation()).isNull();
    assertThat(alone.rejection().reason())
        .isEqualTo("payload: no valid value left (rejected: " + field + ")");
    assertThat(alone.rejections()).hasSize(2);
  }

  @Test
  void dongsiWithAbsurdOzoneKeepsItsPm25() {
    var outcome =
        VALIDATOR.validate(
            "{\"station\":\"Dongsi\",\"time\":\"2014-06-01T12:00:00+08:00\",\"pm25\":35,"
                + "\"o3\":1071,\"no2\":40}");
    assertThat(outcome.observation().values())
        .isEqualTo(Map.of(Variable.PM25, 35.0, Variable.NO2, 40.0));
    assertThat(outcome.droppedVariables())
        .extracting(Rejection::reason)
        .containsExactly("o3: 1071 is outside the plausible range [0, 1000] µg/m³");
  }

  /** The field case shared/cases/stream-units: a Guanyuan reading that declares ppb. */
  @Test
  void convertsAGasDeclaredInPpbAt25DegreesAnd1013Hpa() {
    var validator =
        new ReadingValidator(
            Map.of(
                "Guanyuan", new Station("Guanyuan", null, 116.339, 39.929, null, "beijing", null)),
            CLOCK,
            Duration.ofHours(1),
            64 * 1024);
    var outcome =
        validator.validate(
            "{\"station\":\"Guanyuan\",\"time\":\"2016-03-01T00:30:00+08:00\",\"no2\":30,"
                + "\"unit\":\"ppb\"}");
    assertThat(outcome.rejections()).isEmpty();
    // 30 ppb · 46.0055 g/mol / 24.465 L/mol = 56.41 µg/m³ (not 30).
    assertThat(outcome.observation().value(Variable.NO2)).isCloseTo(56.413, within(0.001));
    assertThat(DeclaredUnit.MOLAR_VOLUME_L).isCloseTo(24.465, within(0.001));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "ppm, co, 1, 1144.88",
    "ppb, so2, 10, 26.19",
    "PPB, o3, 50, 98.09",
    "ug/m3, no2, 30, 30",
    "µg/m³, pm25, 30, 30",
  })
  void convertsKnownUnits(String unit, String key, double given, double expected) {
    var o =
        VALIDATOR
            .validate(
                "{\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\""
                    + key
                    + "\":"
                    + given
                    + ",\"unit\":\""
                    + unit
                    + "\"}")
            .observation();
    assertThat(o.value(Variable.byKey(key).orElseThrow())).isCloseTo(expected, within(0.01));
  }

  @Test
  void particlesInPpbAreDroppedWithAReasonAndTheGasesConverted() {
    var outcome =
        VALIDATOR.validate(
            "{\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"pm25\":30,"
                + "\"no2\":30,\"temp\":4.5,\"unit\":\"ppb\"}");
    assertThat(outcome.observation().values()).containsOnlyKeys(Variable.NO2, Variable.TEMP);
    assertThat(outcome.observation().value(Variable.TEMP)).isEqualTo(4.5);
    assertThat(outcome.droppedVariables())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.reason())
                    .isEqualTo(
                        "pm25: unit 'ppb' is not µg/m³ and PM2.5 is not a gas that can be"
                            + " converted"));
  }

  @Test
  void anUnknownUnitRejectsTheReading() {
    var outcome =
        VALIDATOR.validate(
            "{\"station\":\"Dongsi\",\"time\":\"2013-03-01T00:00:00Z\",\"no2\":30,"
                + "\"unit\":\"mg/l\"}");
    assertThat(outcome.observation()).isNull();
    assertThat(outcome.rejection().field()).isEqualTo("unit");
    assertThat(outcome.rejection().value()).isEqualTo("mg/l");
    assertThat(outcome.rejection().reason()).startsWith("unit: 'mg/l' is not µg/m³");
  }

  @Test
  void rejectsAHugeMessageAndEchoesOnlyItsStart() {
    String huge = "{\"station\":\"Dongsi\",\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
    var r = VALIDATOR.validate(huge).rejection();
    int bytes = huge.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertThat(r.reason())
        .isEqualTo("payload: " + bytes + " bytes exceeds the limit of 65536 bytes for one reading");
    assertThat(r.payloadBytes()).isEqualTo(bytes);
    assertThat(r.payload()).hasSize(ReadingValidator.MAX_ECHO_CHARS);
  }
}
