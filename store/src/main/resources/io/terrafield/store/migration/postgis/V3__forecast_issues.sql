-- Forecasts as the forecast job issues them (issue #11): the full served distribution (seven
-- quantiles, mean, P(exceedance) of a threshold), the air-quality category of the median, the
-- model version and interval factor, at stations and at grid cells. Forecasts are derived data
-- (the job re-issues them), so the V1 table is replaced rather than migrated.
-- An issue is published by one transaction that replaces its forecasts and writes its row in
-- forecast_issues; readers take the newest issue from forecast_issues (see ForecastStore).

DROP TABLE forecasts;

CREATE TABLE forecasts (
  target_id        VARCHAR(64) NOT NULL,
  target_kind      VARCHAR(8)  NOT NULL,
  lon              DOUBLE PRECISION NOT NULL,
  lat              DOUBLE PRECISION NOT NULL,
  geom             geometry(Point, 4326) NOT NULL,
  variable         VARCHAR(16) NOT NULL,
  model            VARCHAR(64) NOT NULL,
  model_version    VARCHAR(128) NOT NULL,
  issue_time       TIMESTAMPTZ NOT NULL,
  valid_time       TIMESTAMPTZ NOT NULL,
  horizon_h        INTEGER NOT NULL,
  q025             DOUBLE PRECISION NOT NULL,
  q05              DOUBLE PRECISION NOT NULL,
  q25              DOUBLE PRECISION NOT NULL,
  q50              DOUBLE PRECISION NOT NULL,
  q75              DOUBLE PRECISION NOT NULL,
  q95              DOUBLE PRECISION NOT NULL,
  q975             DOUBLE PRECISION NOT NULL,
  mean             DOUBLE PRECISION NOT NULL,
  threshold        DOUBLE PRECISION NOT NULL,
  exceedance_prob  DOUBLE PRECISION NOT NULL,
  category_scheme  VARCHAR(16),
  category         VARCHAR(64),
  interval_factor  DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (target_id, variable, model, issue_time, valid_time)
);
CREATE INDEX forecasts_geom_idx ON forecasts USING GIST (geom);
CREATE INDEX forecasts_valid_time_idx ON forecasts (variable, model, valid_time);
CREATE INDEX forecasts_issue_idx ON forecasts (variable, model, issue_time, target_kind);

CREATE TABLE forecast_issues (
  variable         VARCHAR(16) NOT NULL,
  model            VARCHAR(64) NOT NULL,
  issue_time       TIMESTAMPTZ NOT NULL,
  model_version    VARCHAR(128) NOT NULL,
  issued_at        TIMESTAMPTZ NOT NULL,
  station_count    INTEGER NOT NULL,
  cell_count       INTEGER NOT NULL,
  cell_size_deg    DOUBLE PRECISION NOT NULL,
  max_horizon_h    INTEGER NOT NULL,
  PRIMARY KEY (variable, model, issue_time)
);
