-- Versions of each station's metadata (name, position, altitude, network, attributes): a
-- registration that changes them closes the current version (valid_to) and opens the next
-- (valid_from); `stations` keeps the current one. Stations already stored become version 1,
-- valid since the epoch. Same table as the PostGIS migration.
CREATE TABLE station_versions (
  id          VARCHAR(64)  NOT NULL,
  version     INTEGER      NOT NULL,
  name        VARCHAR(256) NOT NULL,
  lon         DOUBLE PRECISION NOT NULL,
  lat         DOUBLE PRECISION NOT NULL,
  altitude_m  DOUBLE PRECISION,
  network     VARCHAR(64),
  metadata    CHARACTER VARYING NOT NULL DEFAULT '{}',
  valid_from  TIMESTAMP WITH TIME ZONE NOT NULL,
  valid_to    TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id, version)
);
ALTER TABLE station_versions ADD CONSTRAINT station_versions_station_fk
  FOREIGN KEY (id) REFERENCES stations (id);

INSERT INTO station_versions (id, version, name, lon, lat, altitude_m, network, metadata, valid_from)
SELECT id, 1, name, lon, lat, altitude_m, network, metadata,
       TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'
FROM stations;
