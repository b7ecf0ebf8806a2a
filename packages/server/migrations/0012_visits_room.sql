-- Video visits: join links, the waiting room and the visit room (src/visits/links, src/visits/room).
-- PostgreSQL 15 syntax. Plain tables for platform internals only: clinical facts (the Encounter,
-- chat Communications) live in the FHIR store; these rows hold tokens, room state and indexes.

-- A join link: 256 random bits, stored as SHA-256 only, bound to one appointment and participant.
CREATE TABLE visit_link (
  id              uuid        PRIMARY KEY,
  token_hash      text        NOT NULL UNIQUE,
  appointment_id  text        NOT NULL,
  kind            text        NOT NULL CHECK (kind IN ('patient', 'guest')),
  participant_ref text,                            -- 'Patient/<id>' for the patient's link; NULL for guests
  display_name    text        NOT NULL,
  role            text,                            -- guests: interpreter, family, clinician…
  valid_from      timestamptz NOT NULL,
  valid_until     timestamptz NOT NULL,
  revoked_at      timestamptz,
  created_by      text        NOT NULL,            -- 'User/<id>' or 'system'
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_from < valid_until)
);
CREATE INDEX visit_link_appointment ON visit_link (appointment_id);

-- Failed token look-ups per client address and minute, shared by every instance (guessing limit).
CREATE TABLE visit_join_failure (
  source_ip    text        NOT NULL,
  window_start timestamptz NOT NULL,
  failures     integer     NOT NULL,
  PRIMARY KEY (source_ip, window_start)
);

-- One room per appointment: the Encounter once the patient was first admitted, and the facts
-- billing needs (where the patient was, whether video was ever used).
CREATE TABLE visit_room (
  appointment_id     text        PRIMARY KEY,
  organization_id    text,
  encounter_id       text,
  patient_at_home    boolean,
  telepresenter_seen boolean     NOT NULL DEFAULT false,
  video_seen         boolean     NOT NULL DEFAULT false,
  audio_only_seen    boolean     NOT NULL DEFAULT false,
  ended_at           timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now()
);

-- A participant of a room. `identity` makes a rejoin the same participant: 'link:<link id>' or
-- 'user:<account id>'. `connection_id` is the live socket (NULL: not connected right now).
CREATE TABLE visit_participant (
  id             uuid        PRIMARY KEY,
  appointment_id text        NOT NULL REFERENCES visit_room (appointment_id) ON DELETE CASCADE,
  identity       text        NOT NULL,
  kind           text        NOT NULL CHECK (kind IN ('patient', 'clinician', 'guest', 'telepresenter')),
  host           boolean     NOT NULL,
  display_name   text        NOT NULL,
  role           text,
  fhir_ref       text,                             -- 'Patient/<id>' | 'Practitioner/<id>' when known
  link_id        uuid        REFERENCES visit_link (id) ON DELETE CASCADE,
  status         text        NOT NULL CHECK (status IN ('waiting', 'admitted', 'left')),
  since          timestamptz NOT NULL,
  connection_id  uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (appointment_id, identity)
);
CREATE INDEX visit_participant_link ON visit_participant (link_id) WHERE link_id IS NOT NULL;

-- Short-lived tickets for the signaling WebSocket, stored as SHA-256 only.
CREATE TABLE visit_ticket (
  ticket_hash    text        PRIMARY KEY,
  participant_id uuid        NOT NULL REFERENCES visit_participant (id) ON DELETE CASCADE,
  expires_at     timestamptz NOT NULL
);
CREATE INDEX visit_ticket_participant ON visit_ticket (participant_id);
CREATE INDEX visit_ticket_expires ON visit_ticket (expires_at);

-- The chat of a room in order: an index of its Communications (the text lives only in FHIR).
CREATE TABLE visit_chat (
  appointment_id   text        NOT NULL REFERENCES visit_room (appointment_id) ON DELETE CASCADE,
  communication_id text        NOT NULL,
  participant_id   uuid        NOT NULL,
  sent_at          timestamptz NOT NULL,
  PRIMARY KEY (appointment_id, communication_id)
);
CREATE INDEX visit_chat_order ON visit_chat (appointment_id, sent_at);
