-- Tamper-evident audit trail (HIPAA §164.312(b); ONC §170.315(d)(2),(d)(3)); see src/platform/audit/.
-- PostgreSQL 15 syntax.

-- One FHIR AuditEvent per row (`content`, IHE BALP vocabulary), plus plain columns for the admin
-- report's filters. Rows are inserted unsealed (chain columns NULL), in the transaction of the change
-- they record; a sealer later fills chain_pos, prev_hash and hash in one pass, in seq order, so
-- writers never wait on each other for the chain (src/platform/audit/audit-trail.ts).
CREATE TABLE audit_event (
  seq          bigserial   PRIMARY KEY,
  id           uuid        NOT NULL UNIQUE,
  recorded     timestamptz NOT NULL,
  -- C R U D E (AuditEvent.action)
  action       text        NOT NULL,
  -- The rest interaction ('read', 'search-type', 'create', …) or security event ('login', …).
  kind         text        NOT NULL,
  -- 0 success, 4 minor failure (denied, not found), 8 serious failure, 12 major failure.
  outcome      smallint    NOT NULL,
  -- 'User/<id>' | 'Client/<id>' | 'system:<job>' | NULL (unknown, e.g. a failed login).
  agent        text,
  -- 'Patient/<id>' of every patient whose data the event concerns.
  patients     text[]      NOT NULL DEFAULT '{}',
  organization text,
  content      text        NOT NULL,
  chain_pos    bigint      UNIQUE,
  prev_hash    text,
  hash         text
);
CREATE INDEX audit_event_recorded ON audit_event (recorded, seq);
CREATE INDEX audit_event_agent ON audit_event (agent, recorded);
CREATE INDEX audit_event_patients ON audit_event USING gin (patients);
CREATE INDEX audit_event_unsealed ON audit_event (seq) WHERE chain_pos IS NULL;

-- Append-only: no DELETE, no TRUNCATE, and no UPDATE except the one sealing update, which fills the
-- chain columns from NULL and changes nothing else. New rows arrive unsealed (only the sealer seals).
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.chain_pos IS NULL AND NEW.prev_hash IS NULL AND NEW.hash IS NULL THEN
      RETURN NEW;
    END IF;
  ELSIF TG_OP = 'UPDATE' THEN
    IF OLD.chain_pos IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND NEW.chain_pos IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND (to_jsonb(NEW) - 'chain_pos' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'chain_pos' - 'prev_hash' - 'hash') THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_append_only_rows
  BEFORE INSERT OR UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_append_only_truncate
  BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
