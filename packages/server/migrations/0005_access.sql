-- Access control (src/identity/access/): caregiver grants and break-the-glass openings.
-- PostgreSQL 15 syntax. Plain tables, read on every request of the people they concern, so that
-- a revoked or expired grant stops working at once (no cache in front of them).

-- A patient (or a clinic admin, for minors) lets a caregiver act for the patient within a scope.
CREATE TABLE access_caregiver_grant (
  id              uuid        PRIMARY KEY,
  -- 'Patient/<id>'
  patient_ref     text        NOT NULL,
  -- The caregiver: their account's FHIR user ('RelatedPerson/<id>') or 'User/<account id>'.
  grantee         text        NOT NULL,
  -- 'read': the patient's record; 'read-write': also what the patient could author (messages,
  -- refill requests, questionnaire answers, uploads, self-reported observations) on their behalf.
  scope           text        NOT NULL CHECK (scope IN ('read', 'read-write')),
  -- actorRef of who granted ('User/<id>'), and the clinic when a clinic admin did.
  granted_by      text        NOT NULL,
  organization_id text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz,
  revoked_at      timestamptz,
  revoked_by      text
);
CREATE INDEX access_caregiver_grant_grantee ON access_caregiver_grant (grantee) WHERE revoked_at IS NULL;
CREATE INDEX access_caregiver_grant_patient ON access_caregiver_grant (patient_ref);

-- Emergency access to a patient outside the caller's care team, with the reason they stated.
CREATE TABLE access_break_glass (
  id              uuid        PRIMARY KEY,
  -- The account that opened it (account.id as text) and the clinic it acted in.
  account_id      text        NOT NULL,
  organization_id text        NOT NULL,
  patient_ref     text        NOT NULL,
  reason          text        NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL
);
CREATE INDEX access_break_glass_account ON access_break_glass (account_id, expires_at);
CREATE INDEX access_break_glass_patient ON access_break_glass (patient_ref, created_at);
