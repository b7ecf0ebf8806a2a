-- Identity: accounts, memberships, sessions, single-use mail tokens, system clients.
-- Plain tables (not FHIR): credentials are not health data and never leave the server.
-- Secrets are stored only as hashes: passwords as argon2id (OWASP ASVS V2.4), high-entropy
-- random tokens as hex SHA-256 (a fast hash is enough for 256-bit random values).

CREATE TABLE account (
  id                uuid        PRIMARY KEY,
  -- Normalised (trimmed, lower-case) by the application; unique.
  email             text        NOT NULL UNIQUE,
  password_hash     text,
  status            text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  email_verified_at timestamptz,
  -- 'Patient/<id>' | 'Practitioner/<id>' | 'RelatedPerson/<id>'
  fhir_user         text,
  -- TOTP (RFC 6238): the confirmed secret, a pending one during enrolment, and the last accepted
  -- time step so a code is never accepted twice (RFC 6238 §5.2).
  totp_secret         text,
  totp_pending_secret text,
  totp_enabled_at     timestamptz,
  totp_last_step      bigint,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account_membership (
  account_id      uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  -- FHIR Organization id of the clinic.
  organization_id text NOT NULL,
  role            text NOT NULL CHECK (role IN ('patient', 'caregiver', 'clinician', 'nurse', 'specialist', 'telepresenter', 'front-desk', 'admin')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, organization_id, role)
);
CREATE INDEX account_membership_org ON account_membership (organization_id);

CREATE TABLE account_recovery_code (
  account_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  code_hash  text        NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (account_id, code_hash)
);

-- One row per failed login, for the per-account throttle (≤ 100 per hour, OWASP ASVS V2.2.1).
CREATE TABLE account_login_failure (
  account_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  failed_at  timestamptz NOT NULL
);
CREATE INDEX account_login_failure_account ON account_login_failure (account_id, failed_at);

CREATE TABLE auth_client (
  id              text        PRIMARY KEY,
  secret_hash     text        NOT NULL,
  scopes          text[]      NOT NULL,
  organization_id text,
  disabled_at     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- A session: one login (cookie + bearer token), an enrolment-only token, or a client token.
CREATE TABLE auth_session (
  id           uuid        PRIMARY KEY,
  kind         text        NOT NULL CHECK (kind IN ('user', 'enrolment', 'client')),
  account_id   uuid        REFERENCES account (id) ON DELETE CASCADE,
  client_id    text        REFERENCES auth_client (id) ON DELETE CASCADE,
  bearer_hash  text        NOT NULL UNIQUE,
  cookie_hash  text        UNIQUE,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  CHECK ((account_id IS NULL) <> (client_id IS NULL))
);
CREATE INDEX auth_session_account ON auth_session (account_id) WHERE revoked_at IS NULL;
CREATE INDEX auth_session_expires ON auth_session (expires_at);

-- Single-use tokens sent by mail: password reset, email verification, invitation.
CREATE TABLE auth_mail_token (
  token_hash  text        PRIMARY KEY,
  purpose     text        NOT NULL CHECK (purpose IN ('password-reset', 'email-verification', 'invitation')),
  account_id  uuid        REFERENCES account (id) ON DELETE CASCADE,
  email       text        NOT NULL,
  -- Invitation details (role, organizationId, given, family, birthDate); no other PHI.
  data        jsonb       NOT NULL DEFAULT '{}',
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX auth_mail_token_account ON auth_mail_token (account_id);
