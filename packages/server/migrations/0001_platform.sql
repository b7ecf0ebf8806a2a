-- Platform tables. PostgreSQL 15 syntax only (PGlite is 18; nothing newer than 15 is used).

-- Realtime bus: NOTIFY carries at most 8000 bytes, so larger messages travel by reference
-- (see src/platform/realtime/bus.ts). Rows are short-lived; a scheduled job removes old ones.
CREATE TABLE careline_bus_payload (
  id         bigserial PRIMARY KEY,
  topic      text        NOT NULL,
  body       jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX careline_bus_payload_created_at ON careline_bus_payload (created_at);
