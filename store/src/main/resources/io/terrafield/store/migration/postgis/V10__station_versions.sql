-- Versions of each station's metadata (name, position, altitude, network, attributes): a
-- registration that changes them closes the current version (valid_to) and opens the next
-- (valid_from); `stations` keeps the current one. Stations already stored become version 1,
-- valid since the epoch.
CREATE TABLE station_versions (
  id          VARCHAR(64)  NOT NULL REFERENCES stations (id),
  version     INTEGER      NOT NULL,
  name        VARCHAR(256) NOT NULL,
  lon         DOUBLE PRECISION NOT NULL,
  lat         DOUBLE PRECISION NOT NULL,
  altitude_m  DOUBLE PRECISION,
  network     VARCHAR(64),
  metadata    JSONB NOT NULL DEFAULT '{}'::jsonb,
  valid_from  TIMESTAMPTZ  NOT NULL,
  valid_to    TIMESTAMPTZ,
  PRIMARY KEY (id, version)
);

INSERT INTO station_versions (id, version, name, lon, lat, altitude_m, network, metadata, valid_from)
SELECT id, 1, name, lon, lat, altitude_m, network, metadata, TIMESTAMPTZ '1970-01-01 00:00:00+00'
FROM stations;
