-- Effect estimation requests as resources (/effects/{id}): the request, its status and timings,
-- and the result or the error. An Idempotency-Key maps a retried POST to the same effect.
CREATE TABLE effects (
  id               VARCHAR(36) PRIMARY KEY,
  idempotency_key  VARCHAR(200) UNIQUE,
  status           VARCHAR(16) NOT NULL,
  request          VARCHAR NOT NULL,
  result           VARCHAR,
  error            VARCHAR,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at       TIMESTAMP WITH TIME ZONE,
  finished_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX effects_created_at ON effects (created_at);
