-- No query reads observations by time across stations (every read names its station and uses the
-- primary key), while every written row paid for this index: one more B-tree insert and commit
-- entry per hourly observation (about a tenth of the sensor job's store write time).
DROP INDEX IF EXISTS observations_time_idx;
