-- Nightscout API v1 treatments and devicestatus (src/monitoring/nightscout). PostgreSQL 15 syntax.

-- One row per treatment an uploader posted (xDrip+, Loop, AAPS, Trio): the idempotency guard (a
-- re-posted treatment finds its key: device + _id/identifier, or device + eventType + created_at)
-- and what GET /api/v1/treatments answers. The clinical content lives in FHIR (glucose and carbs
-- Observations, insulin MedicationAdministrations, notes as Communications), named in `resources`;
-- `body` keeps only the Nightscout fields Careline maps, so the uploader sees its treatment back.
CREATE TABLE monitoring_nightscout_treatment (
  treatment_key text        PRIMARY KEY,
  device        text        NOT NULL,   -- 'Device/<id>'
  patient       text        NOT NULL,   -- 'Patient/<id>'
  id            uuid        NOT NULL UNIQUE,
  event_type    text        NOT NULL,
  created_at    timestamptz NOT NULL,   -- the uploader's time
  received      timestamptz NOT NULL,
  body          jsonb       NOT NULL,
  resources     text[]      NOT NULL
);
CREATE INDEX monitoring_nightscout_treatment_patient ON monitoring_nightscout_treatment (patient, created_at DESC);

-- Uploader and pump status (battery, reservoir, insulin and carbs on board, loop state): operational
-- status, not a clinical record, so not FHIR. The newest 288 per device are kept (a day at 5 min).
CREATE TABLE monitoring_nightscout_devicestatus (
  id          uuid        PRIMARY KEY,
  device      text        NOT NULL,
  patient     text        NOT NULL,
  created_at  timestamptz NOT NULL,
  received    timestamptz NOT NULL,
  summary     jsonb       NOT NULL,     -- { uploaderBattery, pumpBattery, reservoir, iob, cob, loop }
  body        jsonb       NOT NULL      -- the posted document without prediction arrays, ≤ 16 kB
);
CREATE INDEX monitoring_nightscout_devicestatus_device ON monitoring_nightscout_devicestatus (device, created_at DESC);
