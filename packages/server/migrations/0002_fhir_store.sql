-- FHIR R4 resource store (see src/fhir/README.md). PostgreSQL 15 syntax.

-- Current version of every resource, all types in one table. `content` is the JSON text exactly as
-- served (meta included), so reads return it without re-serialising.
CREATE TABLE fhir_resource (
  resource_type text        NOT NULL,
  id            text        NOT NULL,
  version_id    bigint      NOT NULL,
  last_updated  timestamptz NOT NULL,
  deleted       boolean     NOT NULL DEFAULT false,
  content       text        NOT NULL,
  -- 'Patient/<id>' for each Patient compartment the resource is in (access control, $everything).
  compartments  text[]      NOT NULL DEFAULT '{}',
  PRIMARY KEY (resource_type, id)
);
CREATE INDEX fhir_resource_type_updated ON fhir_resource (resource_type, last_updated, id);
CREATE INDEX fhir_resource_compartments ON fhir_resource USING gin (compartments);

-- Every version, for vread and _history (https://hl7.org/fhir/R4/http.html#history).
CREATE TABLE fhir_resource_history (
  resource_type text        NOT NULL,
  id            text        NOT NULL,
  version_id    bigint      NOT NULL,
  last_updated  timestamptz NOT NULL,
  deleted       boolean     NOT NULL DEFAULT false,
  -- 'POST' | 'PUT' | 'PATCH' | 'DELETE': Bundle.entry.request.method in history bundles.
  method        text        NOT NULL,
  content       text        NOT NULL,
  PRIMARY KEY (resource_type, id, version_id)
);
CREATE INDEX fhir_resource_history_type_updated ON fhir_resource_history (resource_type, last_updated);
CREATE INDEX fhir_resource_history_updated ON fhir_resource_history (last_updated);

-- Search index: one row per (resource, search parameter, value), extracted at write time from the
-- official R4 SearchParameter definitions. Which columns a row uses depends on the parameter's type:
--   token     system, code (+ txt: normalised display text for :text)
--   string    txt (normalised for starts-with / :contains), code (exact text for :exact)
--   uri       code
--   date      low, high (the instant range the value covers)
--   number    num
--   quantity  num, system, code (unit code)
--   reference ref ('Type/id', or an absolute/urn reference as given), plus date_high: the
--             resource's main clinical date (see fhir/storage/main-date.ts), copied onto each of its
--             reference rows so that "resources of patient X, newest first" is one ordered index scan
CREATE TABLE fhir_search (
  resource_type text        NOT NULL,
  resource_id   text        NOT NULL,
  param         text        NOT NULL,
  system        text,
  code          text,
  txt           text,
  low           timestamptz,
  high          timestamptz,
  num           numeric,
  ref           text,
  date_high     timestamptz
);
CREATE INDEX fhir_search_owner ON fhir_search (resource_type, resource_id, param);
CREATE INDEX fhir_search_code ON fhir_search (resource_type, param, code, system) WHERE code IS NOT NULL;
CREATE INDEX fhir_search_txt ON fhir_search (resource_type, param, txt text_pattern_ops) WHERE txt IS NOT NULL;
-- Serves reference equality and, in index order, "newest first" for one reference (the hot
-- Observation?subject=X&_sort=-date query): date_high is '-infinity' when the resource has no date.
CREATE INDEX fhir_search_ref ON fhir_search (resource_type, param, ref, date_high DESC, resource_id COLLATE "C") WHERE ref IS NOT NULL;
CREATE INDEX fhir_search_date ON fhir_search (resource_type, param, low, high) WHERE low IS NOT NULL;
CREATE INDEX fhir_search_num ON fhir_search (resource_type, param, num) WHERE num IS NOT NULL;
