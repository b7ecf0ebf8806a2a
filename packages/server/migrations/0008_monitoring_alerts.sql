-- Monitoring enrolments and alerts (src/monitoring). PostgreSQL 15 syntax.

-- A patient's enrolment in a monitoring program. The FHIR CarePlan is the record (with the rules
-- in an extension); this row is what ingestion reads on every reading and billing reads monthly.
CREATE TABLE monitoring_enrollment (
  id              uuid        PRIMARY KEY,
  patient         text        NOT NULL,
  program         text        NOT NULL,
  organization_id text        NOT NULL,
  care_plan_id    text        NOT NULL,
  rules           jsonb       NOT NULL,
  consent_date    date,
  setup_date      date,
  enrolled_by     text        NOT NULL,
  enrolled_at     timestamptz NOT NULL DEFAULT now(),
  ended_at        timestamptz
);
CREATE UNIQUE INDEX monitoring_enrollment_active ON monitoring_enrollment (patient, program) WHERE ended_at IS NULL;

-- Alerts: one open alert per patient and condition (program:rule); repeats attach to it. The FHIR
-- Flag and Task are the record; this row is the care team's queue.
CREATE TABLE monitoring_alert (
  id              uuid        PRIMARY KEY,
  patient         text        NOT NULL,
  organization_id text        NOT NULL,
  condition       text        NOT NULL,
  severity        text        NOT NULL CHECK (severity IN ('high', 'medium')),
  summary         text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  occurrences     integer     NOT NULL DEFAULT 1,
  first_at        timestamptz NOT NULL,
  last_at         timestamptz NOT NULL,
  snoozed_until   timestamptz,
  flag_id         text,
  task_id         text,
  acknowledged_by text,
  acknowledged_at timestamptz,
  resolved_by     text,
  resolved_at     timestamptz
);
CREATE UNIQUE INDEX monitoring_alert_one_open ON monitoring_alert (patient, condition) WHERE status <> 'resolved';
CREATE INDEX monitoring_alert_queue ON monitoring_alert (organization_id, status, last_at DESC);
