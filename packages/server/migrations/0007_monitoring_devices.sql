-- Monitoring device credentials (src/monitoring/devices). PostgreSQL 15 syntax.

-- One credential per device or uploader app, bound on the server to its Device and patient: a
-- bearer token (`cld_…`, stored as SHA-256) for the webhook and FHIR, and a Nightscout API secret
-- (stored as the SHA-1 hex that uploaders send in the `api-secret` header). Revocable.
CREATE TABLE monitoring_device_credential (
  id              uuid        PRIMARY KEY,
  device          text        NOT NULL,           -- 'Device/<id>'
  patient         text        NOT NULL,           -- 'Patient/<id>'
  organization_id text        NOT NULL,
  token_hash      text        NOT NULL UNIQUE,
  nightscout_sha1 text        NOT NULL UNIQUE,
  created_by      text        NOT NULL,           -- 'User/<id>'
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz
);
CREATE INDEX monitoring_device_credential_device ON monitoring_device_credential (device);
