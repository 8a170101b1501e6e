-- Newest non-missing value and number of non-missing values per station and variable,
-- maintained by the store on every observation upsert so that the latest-values query
-- does not scan the observations. Filled here from the observations already stored.
CREATE TABLE latest_values (
  station_id    VARCHAR(64) NOT NULL,
  variable      VARCHAR(16) NOT NULL,
  latest_time   TIMESTAMPTZ NOT NULL,
  latest_value  DOUBLE PRECISION NOT NULL,
  value_count   BIGINT NOT NULL,
  PRIMARY KEY (station_id, variable)
);
ALTER TABLE latest_values ADD CONSTRAINT latest_values_station_fk
  FOREIGN KEY (station_id) REFERENCES stations (id);

INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'pm25', c.newest, o.pm25, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE pm25 IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'pm10', c.newest, o.pm10, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE pm10 IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'no2', c.newest, o.no2, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE no2 IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'so2', c.newest, o.so2, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE so2 IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'co', c.newest, o.co, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE co IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'o3', c.newest, o.o3, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE o3 IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'temp', c.newest, o.temp, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE temp IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'pres', c.newest, o.pres, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE pres IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'dewp', c.newest, o.dewp, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE dewp IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'rain', c.newest, o.rain, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE rain IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
INSERT INTO latest_values (station_id, variable, latest_time, latest_value, value_count)
SELECT c.station_id, 'wspm', c.newest, o.wspm, c.n
FROM (SELECT station_id, MAX(time) AS newest, COUNT(*) AS n FROM observations
      WHERE wspm IS NOT NULL GROUP BY station_id) c
JOIN observations o ON o.station_id = c.station_id AND o.time = c.newest;
