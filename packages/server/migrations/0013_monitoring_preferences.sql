-- Per-clinician alert notification preferences (issue #7, alert-fatigue controls). A platform-internal
-- setting of a user, keyed by the practitioner reference the care team names (Practitioner/<id>).
-- Opt-outs are stored rather than opt-ins, so "no row" means every program and severity and a
-- program added later reaches everyone until they opt out of it.
CREATE TABLE monitoring_alert_preference (
  practitioner     text        PRIMARY KEY,
  muted_programs   text[]      NOT NULL DEFAULT '{}',
  muted_severities text[]      NOT NULL DEFAULT '{}',
  escalation_email boolean     NOT NULL DEFAULT true,
  updated_by       text        NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
