-- Terrafield schema for embedded H2 + H2GIS. Same tables and keys as the PostGIS
-- migration: WGS84 points (SRID 4326) with a spatial (R-tree) index; times are
-- TIMESTAMP WITH TIME ZONE (UTC instants); JSON kept as text.

CREATE TABLE stations (
  id          VARCHAR(64)  PRIMARY KEY,
  name        VARCHAR(256) NOT NULL,
  lon         DOUBLE PRECISION NOT NULL,
  lat         DOUBLE PRECISION NOT NULL,
  altitude_m  DOUBLE PRECISION,
  network     VARCHAR(64),
  metadata    CHARACTER VARYING NOT NULL DEFAULT '{}',
  geom        GEOMETRY(POINT, 4326) NOT NULL
);
CREATE SPATIAL INDEX stations_geom_idx ON stations (geom);

CREATE TABLE observations (
  station_id      VARCHAR(64) NOT NULL,
  time            TIMESTAMP WITH TIME ZONE NOT NULL,
  pm25            DOUBLE PRECISION,
  pm10            DOUBLE PRECISION,
  no2             DOUBLE PRECISION,
  so2             DOUBLE PRECISION,
  co              DOUBLE PRECISION,
  o3              DOUBLE PRECISION,
  temp            DOUBLE PRECISION,
  pres            DOUBLE PRECISION,
  dewp            DOUBLE PRECISION,
  rain            DOUBLE PRECISION,
  wspm            DOUBLE PRECISION,
  wind_direction  VARCHAR(8),
  sample_count    INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (station_id, time)
);
-- Declared after the primary key so that H2 reuses the key's index for it: a separate index on
-- station_id alone would be chosen for MERGE lookups (plans are made while the table is empty) and
-- turn every upsert into a scan of the station's rows.
ALTER TABLE observations ADD CONSTRAINT observations_station_fk
  FOREIGN KEY (station_id) REFERENCES stations (id);
CREATE INDEX observations_time_idx ON observations (time);

CREATE TABLE forecasts (
  target_id   VARCHAR(64) NOT NULL,
  lon         DOUBLE PRECISION NOT NULL,
  lat         DOUBLE PRECISION NOT NULL,
  geom        GEOMETRY(POINT, 4326) NOT NULL,
  variable    VARCHAR(16) NOT NULL,
  model       VARCHAR(64) NOT NULL,
  issue_time  TIMESTAMP WITH TIME ZONE NOT NULL,
  valid_time  TIMESTAMP WITH TIME ZONE NOT NULL,
  horizon_h   INTEGER NOT NULL,
  mean        DOUBLE PRECISION NOT NULL,
  q05         DOUBLE PRECISION NOT NULL,
  q25         DOUBLE PRECISION NOT NULL,
  q50         DOUBLE PRECISION NOT NULL,
  q75         DOUBLE PRECISION NOT NULL,
  q95         DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (target_id, variable, model, issue_time, valid_time)
);
CREATE SPATIAL INDEX forecasts_geom_idx ON forecasts (geom);
CREATE INDEX forecasts_valid_time_idx ON forecasts (variable, model, valid_time);

CREATE TABLE satellite_features (
  scene_id       VARCHAR(128) NOT NULL,
  target_id      VARCHAR(64)  NOT NULL,
  acquired_at    TIMESTAMP WITH TIME ZONE  NOT NULL,
  feature        VARCHAR(64)  NOT NULL,
  feature_value  DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (scene_id, target_id, feature)
);
CREATE INDEX satellite_features_target_idx ON satellite_features (target_id, acquired_at);

CREATE TABLE alerts (
  id           VARCHAR(128) PRIMARY KEY,
  target_id    VARCHAR(64)  NOT NULL,
  variable     VARCHAR(16)  NOT NULL,
  valid_time   TIMESTAMP WITH TIME ZONE  NOT NULL,
  threshold    DOUBLE PRECISION NOT NULL,
  probability  DOUBLE PRECISION NOT NULL,
  issued_at    TIMESTAMP WITH TIME ZONE  NOT NULL,
  payload      CHARACTER VARYING
);
CREATE INDEX alerts_issued_at_idx ON alerts (issued_at);
