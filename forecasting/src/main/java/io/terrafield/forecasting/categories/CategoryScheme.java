package io.terrafield.forecasting.categories;

import java.util.Arrays;

/** An agency's air-quality category scheme, with the document its breakpoints are taken from. */
public enum CategoryScheme {
  /**
   * US EPA Air Quality Index: EPA, <i>Technical Assistance Document for the Reporting of Daily Air
   * Quality – the Air Quality Index (AQI)</i>, EPA-454/B-24-002, May 2024 (PM2.5 breakpoints as
   * revised with the PM NAAQS, 89 FR 16202, 7 March 2024).
   */
  US_EPA_AQI(
      "us-epa-aqi",
      "US EPA Air Quality Index",
      "US EPA, Technical Assistance Document for the Reporting of Daily Air Quality – the AQI,"
          + " EPA-454/B-24-002 (May 2024)"),
  /**
   * European Air Quality Index of the European Environment Agency (EEA) and DG ENV, bands as
   * revised in 2024 (aligned with the 2021 WHO air quality guidelines and Directive (EU)
   * 2024/2881); the index is defined for PM2.5, PM10, NO2, O3 and SO2 only.
   */
  EU_EEA_AQI(
      "eu-eea-aqi",
      "European Air Quality Index (EEA)",
      "European Environment Agency, European Air Quality Index, bands revised 2024"),
  /**
   * China's Individual Air Quality Index (IAQI): Ministry of Environmental Protection, <i>Technical
   * Regulation on Ambient Air Quality Index (on trial)</i>, HJ 633-2012, Tables 1 and 2 (1-hour
   * limits for SO2, NO2, CO and O3; 24-hour limits for PM10 and PM2.5).
   */
  CHINA_HJ_633(
      "cn-hj-633",
      "China AQI (HJ 633-2012)",
      "Ministry of Environmental Protection of China, HJ 633-2012, Technical Regulation on"
          + " Ambient Air Quality Index (on trial), Tables 1-2");

  private final String id;
  private final String title;
  private final String source;

  CategoryScheme(String id, String title, String source) {
    this.id = id;
    this.title = title;
    this.source = source;
  }

  /** The identifier used in URLs and JSON, e.g. {@code us-epa-aqi}. */
  public String id() {
    return id;
  }

  /** A human title, e.g. "US EPA Air Quality Index". */
  public String title() {
    return title;
  }

  /** The document the breakpoints are taken from. */
  public String source() {
    return source;
  }

  /**
   * The scheme with this {@link #id()}.
   *
   * @throws IllegalArgumentException naming the value and the known ids
   */
  public static CategoryScheme parse(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id.equalsIgnoreCase(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "scheme: '"
                        + id
                        + "' is not one of "
                        + Arrays.stream(values()).map(CategoryScheme::id).toList()));
  }
}
