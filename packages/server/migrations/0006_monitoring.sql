-- Remote patient monitoring (src/monitoring). PostgreSQL 15 syntax.

-- One row per measured value of every ingested reading: the idempotency guard (a retried or
-- replayed reading finds its key and is stored once) and the compact series that rules, trend
-- charts and the billing report read. The FHIR Observation stays the record; this is its index.
CREATE TABLE monitoring_reading (
  reading_key    text        NOT NULL,  -- device|id|<identifier>, or device|<code>|<instant>
  measure        text        NOT NULL,  -- LOINC code of the value (a BP panel gives 8480-6 and 8462-4)
  patient        text        NOT NULL,  -- 'Patient/<id>'
  device         text        NOT NULL,  -- 'Device/<id>'
  observation_id text        NOT NULL,
  effective      timestamptz NOT NULL,  -- the device's time
  received       timestamptz NOT NULL,  -- the server's time
  value          double precision NOT NULL,
  origin         text        NOT NULL CHECK (origin IN ('device', 'patient-entered')),
  PRIMARY KEY (reading_key, measure)
);
CREATE INDEX monitoring_reading_series ON monitoring_reading (patient, measure, effective DESC);
