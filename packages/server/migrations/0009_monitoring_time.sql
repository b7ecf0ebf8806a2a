-- Monitoring time, clinic settings, billing periods and escalations (src/monitoring). PostgreSQL 15 syntax.

-- Treatment-management time logged by the care team (timer or manual entry). CPT 99457/99458/99470
-- are billed from these minutes, so an entry removed by its author is kept with deleted_at set:
-- a closed month's report must stay reproducible.
CREATE TABLE monitoring_time_entry (
  id              uuid        PRIMARY KEY,
  patient         text        NOT NULL,           -- 'Patient/<id>'
  organization_id text        NOT NULL,
  practitioner    text        NOT NULL,           -- 'Practitioner/<id>', set by the server from the caller
  account_id      text        NOT NULL,           -- the author's account (only they may delete)
  started_at      timestamptz NOT NULL,
  seconds         integer     NOT NULL CHECK (seconds > 0 AND seconds <= 86400),
  interactive     boolean     NOT NULL,
  note            text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE INDEX monitoring_time_entry_patient ON monitoring_time_entry (patient, started_at) WHERE deleted_at IS NULL;
CREATE INDEX monitoring_time_entry_clinic ON monitoring_time_entry (organization_id, started_at) WHERE deleted_at IS NULL;

-- Per-clinic monitoring settings. Without a row the server default applies (America/New_York).
CREATE TABLE monitoring_clinic_setting (
  organization_id text        PRIMARY KEY,
  time_zone       text        NOT NULL,           -- IANA zone: billing days and months are counted in it
  updated_by      text        NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The one billing practitioner per patient per period (CMS): the enrolling clinician unless changed.
ALTER TABLE monitoring_enrollment ADD COLUMN billing_practitioner text;

-- A closed month: what was billed, per patient. 99453 is billable once per episode of care, so a
-- later report looks here to know setup was billed already.
CREATE TABLE monitoring_billing_claim (
  organization_id      text        NOT NULL,
  month                text        NOT NULL,      -- 'YYYY-MM'
  enrollment_id        uuid        NOT NULL,
  patient              text        NOT NULL,
  billing_practitioner text,
  codes                text[]      NOT NULL,
  closed_by            text        NOT NULL,
  closed_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, month, enrollment_id)
);
CREATE INDEX monitoring_billing_claim_enrollment ON monitoring_billing_claim (enrollment_id);

-- Escalation: an alert still open after N minutes is mailed to the care team once.
ALTER TABLE monitoring_alert ADD COLUMN escalated_at timestamptz;
