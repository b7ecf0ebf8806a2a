import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { bloodPressure, openAccess, patient } from '../test-support/fhir-fixtures.js';

/**
 * Property tests: whatever a client sends — hostile parameter names, modifiers and values, broken
 * paging cursors, malformed resources and Bundles — the server answers with a FHIR resource and a
 * 2xx/4xx status, never a 5xx, and a refused write leaves no trace. Runs are bounded (numRuns) and
 * every call has its own deadline, so a hang fails the test instead of stalling the suite.
 */

const FHIR = 'application/fhir+json';
const RUNS = 150;
const CALL_DEADLINE_MS = 15_000;
const TEST_TIMEOUT_MS = 240_000;

/** Values that have broken search implementations somewhere: SQL, LIKE, escapes, unicode, ranges. */
const HOSTILE: readonly string[] = [
  '', ' ', '%', '%%', '_', '\\', '\\\\', '\\,', '\\|', '\\$', ',', ',,', '|', '||', '|||', '$', "'", '"', '`', ';',
  "'; DROP TABLE fhir_resource; --", "' OR '1'='1", '1) OR (1=1', '$1', '$$', '::text', 'NULL', 'null', 'undefined',
  '\u0000', 'a\u0000b', '\u0001', '\n', '\r\n', '\t', 'ünïcødé', 'Ødegård', 'Núñez', '😀', '👩🏽‍⚕️', '\ud800', '\udfff', '\u202e', 'ﬀ', 'İ', 'ß', 'Σσς',
  '1e999', '-1e999', '1e-999', '1e308', '-0', '+5', '0x10', 'NaN', 'Infinity', '-Infinity', '99999999999999999999999999999999999999',
  '9'.repeat(41), `0.${'0'.repeat(37)}1`, `1${'0'.repeat(400)}`,
  '2024-02-30', '2024-13-01', '0000', '0001-01-01', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:60Z', '2024-01-01T24:00:00Z',
  '2024-01-01T10:00:00+99:99', '2024-01-01T10:00', '-2024', '20240101', '275760-09-13', '2024-03-15T08:00:00.123456789Z',
  'ge', 'gt', 'ap', 'eq-', 'sa9999', 'eb0001', 'ne', 'ap1e999', 'gt-1e-999',
  'Patient/', '/Patient/1', 'Patient/../../etc/passwd', 'http://evil.example/Patient/1', 'urn:uuid:x', 'Patient/1/_history/', 'Patient/1/_history/1',
  '*', ':', '::', '.', '..', 'x'.repeat(513), 'é'.repeat(300), 'x'.repeat(5000),
];
const PREFIXES = ['', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;

const KNOWN_PARAMS = [
  'name', 'family', 'given', 'birthdate', 'identifier', 'gender', 'code', 'date', 'subject', 'patient', 'value-quantity',
  'component-value-quantity', 'combo-code', 'category', 'status', 'performer', 'focus', 'general-practitioner', 'probability',
  'url', 'target', '_id', '_lastUpdated', '_tag', '_profile', '_security', '_source', '_text', '_content', '_list', '_filter', '_type',
];
const MODIFIERS = ['', ':exact', ':contains', ':missing', ':not', ':text', ':above', ':below', ':in', ':identifier', ':Patient', ':Group', ':Spaceship', ':iterate', ':', '::', ':not:not'];
const SHAPED_NAMES = [
  '_has', '_has:', '_has:Observation', '_has:Observation:subject', '_has:Observation:subject:code', '_has:Spaceship:x:y', '_has:Observation:code:code',
  '_has:Observation:subject:_has:Observation:subject:code', '_has:Observation:subject:subject:Patient.name',
  'subject:Patient.name', 'subject.name', 'patient.birthdate', 'subject:Patient.subject:Patient.name', 'focus:Patient.name:exact',
  'general-practitioner:Practitioner.name', 'subject:Patient.', 'subject:Spaceship.name', '.name', 'subject:Patient._has:Observation:subject:code',
];
/** Parameters each type really has (and chains and _has that parse), so that many requests get past the parser to SQL. */
const PARAMS_BY_TYPE = {
  Patient: ['name', 'family', 'given', 'birthdate', 'identifier', 'gender', 'general-practitioner', 'address-city', 'general-practitioner:Practitioner.name', '_has:Observation:subject:code', '_has:Observation:patient:date', '_has:Provenance:target:recorded'],
  Observation: ['code', 'date', 'subject', 'patient', 'value-quantity', 'component-value-quantity', 'combo-code', 'category', 'status', 'performer', 'focus', 'value-string', 'identifier', 'subject:Patient.name', 'patient.birthdate', 'focus:Patient.family', 'subject:Patient.identifier', '_has:Provenance:target:agent'],
  Encounter: ['date', 'subject', 'status', 'class', 'practitioner', 'length', 'subject:Patient.name', 'practitioner.name'],
  Practitioner: ['name', 'family', 'identifier', 'gender', '_has:Patient:general-practitioner:birthdate'],
  Provenance: ['target', 'recorded', 'when', 'agent', 'patient', 'target:Observation.code', 'agent:Patient.name'],
  ValueSet: ['url', 'name', 'status', 'date', 'version', 'code', 'context-quantity', 'title'],
  RiskAssessment: ['probability', 'subject', 'date', 'risk', 'subject:Patient.birthdate'],
} as const satisfies Record<string, readonly string[]>;
const COMMON_PARAMS = ['_id', '_lastUpdated', '_tag', '_profile', '_security', '_source'];
const TYPES = Object.keys(PARAMS_BY_TYPE) as (keyof typeof PARAMS_BY_TYPE)[];
const GOOD_MODIFIERS = ['', '', '', ':missing', ':not', ':exact', ':contains', ':text', ':Patient'];

const anyText = fc.string({ unit: 'binary', maxLength: 24 });
const numberText = fc.oneof(fc.double().map(String), fc.integer().map(String), fc.bigInt().map(String));
const dateText = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());

const value = fc.oneof(
  fc.constantFrom(...HOSTILE),
  anyText,
  fc.tuple(fc.constantFrom(...PREFIXES), fc.oneof(fc.constantFrom(...HOSTILE), numberText, dateText)).map(([p, v]) => `${p}${v}`),
  fc.tuple(fc.array(fc.oneof(fc.constantFrom(...HOSTILE), anyText), { minLength: 2, maxLength: 4 }), fc.constantFrom(',', '|', '\\,', '||')).map(([parts, sep]) => parts.join(sep)),
);

const paramName = fc
  .oneof(
    fc.tuple(fc.constantFrom(...KNOWN_PARAMS), fc.constantFrom(...MODIFIERS)).map(([n, m]) => `${n}${m}`),
    fc.constantFrom(...SHAPED_NAMES),
    anyText,
    fc.constantFrom(...HOSTILE),
  )
  // _format=xml asks for a representation we refuse with 406, by design, not a search fault.
  .filter((n) => n !== '_format');

const SORT_KEYS = ['_id', '_lastUpdated', 'date', 'name', 'family', 'birthdate', 'code', 'value-quantity', 'subject', 'url', '_tag', '_profile', 'gender', 'identifier', 'probability', 'x', '', '_has', '_count'];
const sortValue = fc
  .array(fc.tuple(fc.constantFrom('', '-', '--', '+', ' '), fc.oneof(fc.constantFrom(...SORT_KEYS), anyText)), { minLength: 1, maxLength: 4 })
  .map((keys) => keys.map(([d, k]) => `${d}${k}`).join(','));
const countValue = fc.oneof(fc.nat().map(String), fc.constantFrom('-1', '0', '1', '1000', '1001', '999999999', '9999999999', '1.5', '1e3', '', ' 1', '0x10'), fc.bigInt().map(String));
const elementsValue = fc.oneof(
  fc.array(fc.constantFrom('name', 'birthDate', 'value', 'status', 'code', 'meta', 'id', 'text', 'name.family', 'valueQuantity', '', '*', '_id', 'x'.repeat(70)), { minLength: 1, maxLength: 4 }).map((e) => e.join(',')),
  value,
);
const includeValue = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('Observation', 'Patient', 'Provenance', 'Encounter', 'Spaceship', '*', ''),
      fc.constantFrom('subject', 'patient', 'target', 'performer', 'focus', 'general-practitioner', '*', 'code', ''),
      fc.constantFrom(undefined, 'Patient', 'Practitioner', 'Observation', 'Spaceship', ''),
    )
    .map(([s, p, t]) => [s, p, ...(t === undefined ? [] : [t])].join(':')),
  value,
);
const cursorValue = fc.oneof(
  anyText,
  fc.constantFrom(...HOSTILE),
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
  // The right shape ([direction, ...sort values]) with values that are not what the columns hold.
  fc
    .tuple(fc.constantFrom<unknown>(0, 1, 2, '0', null), fc.array(fc.oneof(fc.constantFrom<unknown>(...HOSTILE), fc.constant(null), fc.integer(), anyText, dateText), { maxLength: 4 }))
    .map(([d, vals]) => Buffer.from(JSON.stringify([d, ...vals])).toString('base64url')),
);

/** Values a parser accepts for some parameter type, so hostile ones are not the only thing reaching SQL. */
const plausibleValue = fc.oneof(
  fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom('2024', '2024-03', '2024-03-15', '2024-03-15T08:00:00Z', '1990', '72', '0.15', '1e2', '-5')).map(([p, v]) => `${p}${v}`),
  fc.constantFrom('8867-4', 'http://loinc.org|85354-9', '|x', 'http://loinc.org|', 'true', 'false', 'final', 'smith', 'Núñez', 'Patient/1', 'Practitioner/x', '72|http://unitsofmeasure.org|/min', '72||/min'),
);
const typedPair = (type: keyof typeof PARAMS_BY_TYPE): fc.Arbitrary<[string, string]> =>
  fc.tuple(
    fc.tuple(fc.constantFrom(...PARAMS_BY_TYPE[type], ...COMMON_PARAMS), fc.constantFrom(...GOOD_MODIFIERS)).map(([n, m]) => (n.includes('.') || n.startsWith('_has') ? n : `${n}${m}`)),
    fc.oneof(plausibleValue, value),
  );

const pair: fc.Arbitrary<[string, string]> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(paramName, value) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('_sort'), sortValue) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('_count'), countValue) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('_elements'), elementsValue) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('_include', '_revinclude', '_include:iterate', '_revinclude:iterate'), includeValue) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('_cursor'), cursorValue) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('_summary', '_total'), fc.oneof(fc.constantFrom('true', 'false', 'count', 'text', 'data', 'none', 'accurate', 'estimate'), value)) },
);

const searchRequest = fc.constantFrom(...TYPES).chain((type) =>
  fc.record({
    type: fc.constant(type),
    pairs: fc.array(fc.oneof({ weight: 5, arbitrary: typedPair(type) }, { weight: 1, arbitrary: pair }), { minLength: 1, maxLength: 3 }),
    method: fc.constantFrom('GET', 'POST'),
    lenient: fc.boolean(),
  }),
);

/** Rejects when a call outlives its deadline, so a hang is reported as one. */
async function bounded<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CALL_DEADLINE_MS} ms`)), CALL_DEADLINE_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Strings with U+0000 crash resource writes today (see the known-gap cases below); keep them out of the body fuzz. */
function withoutNul(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('\u0000', '');
  if (Array.isArray(v)) return v.map(withoutNul);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replaceAll('\u0000', ''), withoutNul(x)]));
  return v;
}

describe('search never fails on the server side, whatever the query', () => {
  let t: TestApp;

  const expectSearchAnswer = (r: LightMyRequestResponse, what: string): void => {
    expect([200, 400], `${what} → ${r.statusCode} ${r.body.slice(0, 400)}`).toContain(r.statusCode);
    const body = r.json<{ resourceType?: string; type?: string }>();
    if (r.statusCode === 200) expect(body, what).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    else expect(body.resourceType, what).toBe('OperationOutcome');
  };

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });
    const post = async (body: Record<string, unknown>): Promise<string> => {
      const r = await t.app.inject({ method: 'POST', url: `/fhir/R4/${String(body.resourceType)}`, headers: { 'content-type': FHIR }, payload: JSON.stringify(body) });
      expect(r.statusCode, r.body).toBe(201);
      return r.json<{ id: string }>().id;
    };
    const a = await post(patient('Núñez', 'José', '1948-03-02'));
    const b = await post(patient('Smith', 'Ann', '1990-11'));
    await post({ ...patient('Ødegård', 'Björn', '1990'), generalPractitioner: [{ reference: `Practitioner/${await post({ resourceType: 'Practitioner', name: [{ family: 'Okafor' }] })}` }] });
    for (let d = 1; d <= 6; d++) await post(bloodPressure(d % 2 ? a : b, `2024-03-${String(d).padStart(2, '0')}T08:00:00Z`, 110 + d, 70 + d));
    const o = await post({ resourceType: 'Observation', status: 'final', code: { text: 'Heart rate' }, subject: { reference: `Patient/${a}` }, focus: [{ reference: `Patient/${b}` }], valueQuantity: { value: 72, code: '/min' } });
    await post({ resourceType: 'Provenance', target: [{ reference: `Observation/${o}` }], recorded: '2024-03-15T08:05:00Z', agent: [{ who: { reference: `Patient/${a}` } }] });
    await post({ resourceType: 'RiskAssessment', status: 'final', subject: { reference: `Patient/${b}` }, prediction: [{ probabilityDecimal: 0.15 }] });
    await post({ resourceType: 'ValueSet', url: 'http://careline.example/fhir/ValueSet/vitals', status: 'active' });
  });
  afterAll(async () => t.close());

  it(
    'random and hostile names, modifiers, values, _sort, _count, _elements, _include and _cursor: 200 or 400',
    async () => {
      const answered = { 200: 0, 400: 0 };
      await fc.assert(
        fc.asyncProperty(searchRequest, async ({ type, pairs, method, lenient }) => {
          const query = new URLSearchParams(pairs).toString();
          const headers: Record<string, string> = lenient ? { prefer: 'handling=lenient' } : {};
          const what = `${method} ${type}?${query.slice(0, 300)}`;
          const r = await bounded(
            method === 'GET'
              ? t.app.inject({ url: `/fhir/R4/${type}?${query}`, headers })
              : t.app.inject({ method: 'POST', url: `/fhir/R4/${type}/_search`, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: query }),
            what,
          );
          expectSearchAnswer(r, what);
          answered[r.statusCode === 200 ? 200 : 400] += 1;
        }),
        { numRuns: RUNS },
      );
      // A fuzz that the parser refuses every time would prove nothing about the SQL behind it.
      expect(answered[200], JSON.stringify(answered)).toBeGreaterThan(RUNS * 0.1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'text-valued parameters (string, :exact, :contains, token :text, uri, reference) take any text and answer 200',
    async () => {
      const textParams = fc.constantFrom(
        ['Patient', 'name'], ['Patient', 'family:exact'], ['Patient', 'given:contains'], ['Patient', 'address-city'], ['Observation', 'value-string:contains'],
        ['Observation', 'code:text'], ['Observation', 'subject'], ['Observation', 'subject:Patient.name'], ['Patient', '_has:Observation:subject:code:text'],
        ['ValueSet', 'url'], ['ValueSet', 'title:exact'], ['Patient', '_profile'], ['Provenance', 'target'],
      );
      // Any non-empty text but U+0000, which PostgreSQL text cannot hold (a 400 for it is fine).
      const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 40 })).filter((v) => !v.includes('\u0000') && v.length > 0);
      await fc.assert(
        fc.asyncProperty(textParams, fc.array(text, { minLength: 1, maxLength: 3 }), async ([type, name], values) => {
          // Escape the separators so each generated value stays one value.
          const joined = values.map((v) => v.replace(/[\\,$|]/g, (c) => `\\${c}`)).join(',');
          const url = `/fhir/R4/${type}?${new URLSearchParams([[name, joined], ['_sort', '_lastUpdated']]).toString()}`;
          const r = await bounded(t.app.inject({ url }), url);
          expect(r.statusCode, `${url} → ${r.body.slice(0, 300)}`).toBe(200);
          expect(r.json<{ resourceType: string }>().resourceType).toBe('Bundle');
        }),
        { numRuns: RUNS },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a raw query string with broken percent-encoding: 200 or 400',
    async () => {
      const raw = fc
        .array(
          fc.oneof(
            fc.constantFrom('%', '%%', '%zz', '%0', '%00', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '%2', '&', '=', '==', '&&', '+', ',', '|', ':', '.', '_has:', '_sort=', '_cursor=', 'name=', 'date=ge', '%5C', '%2C'),
            fc.string({ unit: fc.constantFrom(...'abcXYZ019-._~!$\'()*+,;=:@/?'.split('')), maxLength: 12 }),
          ),
          { maxLength: 12 },
        )
        .map((parts) => parts.join(''));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...TYPES), raw, async (type, query) => {
          const r = await bounded(t.app.inject({ url: `/fhir/R4/${type}?${query}` }), query);
          expectSearchAnswer(r, `${type}?${query}`);
        }),
        { numRuns: RUNS },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a real paging cursor with its sort values replaced: 200 or 400',
    async () => {
      const sorts = ['date', '-date', 'subject,-_lastUpdated', '-value-quantity,code', '_id', '-_id', 'birthdate', '-family,_lastUpdated'];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...sorts),
          fc.array(fc.oneof(fc.constantFrom<unknown>(...HOSTILE), fc.constant(null), dateText, numberText, anyText), { minLength: 1, maxLength: 4 }),
          fc.constantFrom(0, 1),
          async (sort, values, direction) => {
            const type = sort.includes('family') || sort.includes('birthdate') ? 'Patient' : 'Observation';
            const first = await t.app.inject({ url: `/fhir/R4/${type}?_sort=${sort}&_count=1` });
            expect(first.statusCode, first.body).toBe(200);
            const next = first.json<{ link: { relation: string; url: string }[] }>().link.find((l) => l.relation === 'next')?.url;
            expect(next).toBeDefined();
            const cursor = new URL(next ?? '').searchParams.get('_cursor') ?? '';
            const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
            // Keep the length right so the values reach the database.
            const forged = [direction, ...decoded.slice(1).map((v, i) => (i < values.length ? values[i] : v))];
            const url = `/fhir/R4/${type}?_sort=${sort}&_count=1&_cursor=${Buffer.from(JSON.stringify(forged)).toString('base64url')}`;
            expectSearchAnswer(await bounded(t.app.inject({ url }), url), url);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('writes: malformed resources and Bundles are refused (4xx, never 5xx) and leave no trace', () => {
  let t: TestApp;
  const LOINC = 'http://loinc.org';
  const UCUM = 'http://unitsofmeasure.org';
  let patientId = '';

  /** Every version ever written and every index row: a refused write must change neither. */
  const footprint = async (): Promise<{ versions: number; index: number }> => {
    const versions = await t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM fhir_resource_history');
    const index = await t.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM fhir_search');
    return { versions: versions.rows[0]?.n ?? -1, index: index.rows[0]?.n ?? -1 };
  };

  const post = async (url: string, payload: string): Promise<LightMyRequestResponse> =>
    bounded(t.app.inject({ method: 'POST', url, headers: { 'content-type': FHIR }, payload }), `POST ${url} ${payload.slice(0, 200)}`);

  beforeAll(async () => {
    t = await createTestApp({}, { fhirAccess: () => openAccess });
    const r = await post('/fhir/R4/Patient', JSON.stringify(patient()));
    expect(r.statusCode).toBe(201);
    patientId = r.json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  const bodyString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 16 })).map((s) => s.replaceAll('\u0000', ''));
  const field = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    bodyString,
    fc.constantFrom<unknown>(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2, -0, true, null, [], {}, [[[]]], { resourceType: 'Patient' }),
  );
  const observation = fc.record(
    {
      resourceType: fc.oneof({ weight: 9, arbitrary: fc.constant<unknown>('Observation') }, { weight: 1, arbitrary: field }),
      id: field,
      meta: fc.oneof(fc.record({ tag: fc.array(fc.record({ system: field, code: field })), profile: fc.array(field), versionId: field }), field),
      status: fc.oneof(fc.constantFrom<unknown>('final', 'preliminary', 'amended'), field),
      code: fc.oneof(fc.constant<unknown>({ coding: [{ system: LOINC, code: '8867-4' }] }), fc.record({ coding: fc.array(fc.record({ system: field, code: field })), text: field }), field),
      subject: fc.oneof(fc.constant<unknown>({ reference: 'Patient/PATIENT' }), fc.record({ reference: fc.oneof(field, fc.constantFrom(...HOSTILE)) }), field),
      effectiveDateTime: fc.oneof(fc.constantFrom<unknown>('2024-03-15T08:00:00Z', '2024', '2024-02-30', '2024-03-15T25:00:00Z'), field),
      effectivePeriod: fc.record({ start: field, end: field }),
      valueQuantity: fc.oneof(
        fc.constant<unknown>({ value: 72, unit: '/min', system: UCUM, code: '/min' }),
        fc.record({ value: fc.oneof(fc.double(), fc.integer(), field), system: field, code: field, comparator: field }),
        field,
      ),
      component: fc.array(fc.record({ code: field, valueQuantity: field })),
      extension: fc.array(fc.record({ url: field, valueString: field })),
      text: fc.record({ status: field, div: fc.oneof(fc.constant<unknown>('<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div>'), field) }),
    },
    { requiredKeys: ['resourceType'] },
  );
  const resourceBody = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(observation, fc.dictionary(bodyString, field, { maxKeys: 3 })).map(([o, extra]) => JSON.stringify(withoutNul({ ...o, ...extra }))) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '[]', 'null', '"Observation"', '1', '{"resourceType":"Observation"', '{"resourceType":"Observation","status":"final","code":{"text":"x"},}', '\ufeff{}', '{"__proto__":{"x":1},"resourceType":"Observation"}') },
  );

  it(
    'POST /fhir/R4/Observation with fuzzed bodies',
    async () => {
      let before = await footprint();
      await fc.assert(
        fc.asyncProperty(resourceBody, async (raw) => {
          const payload = raw.replaceAll('PATIENT', patientId);
          const r = await post('/fhir/R4/Observation', payload);
          expect(r.statusCode, `${r.statusCode} ${r.body.slice(0, 300)} for ${payload.slice(0, 300)}`).toBeLessThan(500);
          expect(r.json<{ resourceType: string }>().resourceType).toBe(r.statusCode === 201 ? 'Observation' : 'OperationOutcome');
          const after = await footprint();
          if (r.statusCode === 201) expect(after.versions).toBe(before.versions + 1);
          else expect(after, payload.slice(0, 300)).toEqual(before);
          before = after;
        }),
        { numRuns: RUNS },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'deeply nested and oversized bodies are refused, not crashed on',
    async () => {
      const before = await footprint();
      const depth = 20_000;
      const cases = [
        `{"resourceType":"Observation","status":"final","code":{"text":"x"},"extension":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        `{"resourceType":"Observation","status":"final","code":{"text":"x"},"note":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
        JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x'.repeat(200_000) } }),
        JSON.stringify({ resourceType: 'Observation', status: 'final', code: { coding: Array.from({ length: 5000 }, (_, i) => ({ system: LOINC, code: String(i) })) } }),
      ];
      for (const payload of cases) {
        const r = await post('/fhir/R4/Observation', payload);
        expect(r.statusCode, r.body.slice(0, 300)).toBeLessThan(500);
        if (r.statusCode !== 201) expect(await footprint()).toEqual(before);
      }
    },
    TEST_TIMEOUT_MS,
  );

  const ENTRY_URLS = ['Patient', 'Observation', 'Patient/PATIENT', 'Observation?code=8867-4', 'Patient?identifier=x', '', '/', 'Patient/', 'Patient/x/_history/abc', 'Patient/PATIENT/_history/1', 'Spaceship/1', 'Patient/a/b/c/d', 'Patient?_sort=nonsense', 'metadata', '_history', 'Patient/$everything'];
  const entryUrl = fc.oneof(fc.constantFrom(...ENTRY_URLS), bodyString);
  const method = fc.oneof({ weight: 9, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE') }, { weight: 1, arbitrary: fc.constantFrom('OPTIONS', 'get', '', 'FOO') });
  const resource = fc.oneof(
    fc.constant<unknown>({ resourceType: 'Patient', name: [{ family: 'Fuzz' }] }),
    fc.constant<unknown>({ resourceType: 'Patient', id: 'PATIENT', name: [{ family: 'Fuzz' }] }),
    fc.constant<unknown>({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' } }),
    fc.constant<unknown>([{ op: 'replace', path: '/gender', value: 'other' }]),
    fc.constant<unknown>([{ op: 'test', path: '/gender', value: 'nonsense' }]),
    observation,
    field,
  );
  const entry = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record(
        {
          // Non-string fullUrl and ifNoneExist, and Binary PATCH bodies, crash today: see the known gaps below.
          fullUrl: fc.oneof(fc.constantFrom('urn:uuid:11111111-1111-4111-8111-111111111111', 'urn:uuid:', 'urn:uuid:x', 'http://x/Patient/1'), bodyString),
          resource,
          request: fc.record({ method, url: entryUrl, ifNoneExist: fc.oneof(fc.constantFrom('identifier=x', '', '_id=PATIENT', 'shoe-size=9'), bodyString), ifMatch: fc.oneof(fc.constantFrom('W/"1"', '"1"', 'W/"x"'), bodyString) }, { requiredKeys: ['method', 'url'] }),
        },
        { requiredKeys: ['request'] },
      ),
    },
    { weight: 1, arbitrary: field },
  );
  const bundle = fc.record(
    {
      resourceType: fc.oneof({ weight: 9, arbitrary: fc.constant<unknown>('Bundle') }, { weight: 1, arbitrary: field }),
      type: fc.oneof({ weight: 9, arbitrary: fc.constantFrom<unknown>('batch', 'transaction') }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom<unknown>('searchset', 'collection', 'document'), field) }),
      entry: fc.oneof({ weight: 9, arbitrary: fc.array(entry, { maxLength: 6 }) }, { weight: 1, arbitrary: field }),
    },
    { requiredKeys: ['resourceType', 'type'] },
  );

  it(
    'POST /fhir/R4 with fuzzed batch and transaction Bundles',
    async () => {
      await fc.assert(
        fc.asyncProperty(bundle, async (b) => {
          const before = await footprint();
          const payload = JSON.stringify(withoutNul(b)).replaceAll('PATIENT', patientId);
          const r = await post('/fhir/R4', payload);
          const what = `${r.statusCode} ${r.body.slice(0, 400)} for ${payload.slice(0, 400)}`;
          expect(r.statusCode, what).toBeLessThan(500);
          const out = r.json<{ resourceType: string; type?: string; entry?: { response?: { status?: string } }[] }>();
          if (r.statusCode !== 200) {
            expect(out.resourceType, what).toBe('OperationOutcome');
            // A refused Bundle (and so any failed transaction) is all-or-nothing.
            expect(await footprint(), what).toEqual(before);
            return;
          }
          expect(out.resourceType).toBe('Bundle');
          expect(['batch-response', 'transaction-response']).toContain(out.type);
          for (const e of out.entry ?? []) expect(Number(e.response?.status), what).toBeLessThan(500);
        }),
        { numRuns: RUNS },
      );
    },
    TEST_TIMEOUT_MS,
  );

  // Edge cases outside fhir/search that once answered 5xx (or misread a method); kept as named regressions.
  describe('former gaps', () => {
    it('a U+0000 inside a resource string is refused with 400 (validation; PostgreSQL text cannot hold it)', async () => {
      const before = await footprint();
      const r = await post('/fhir/R4/Patient', JSON.stringify({ resourceType: 'Patient', name: [{ family: 'a\u0000b' }] }));
      expect(r.statusCode).toBe(400);
      expect(await footprint()).toEqual(before);
    });

    it('a transaction entry whose fullUrl is not a string is refused with 400 (store/process-bundle.ts)', async () => {
      const r = await post('/fhir/R4', JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 5, resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } }] }));
      expect(r.statusCode).toBe(400);
    });

    it('a PATCH entry whose Binary data is not a JSON Patch is refused with 400 (store/process-bundle.ts)', async () => {
      const entry = { resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: Buffer.from('not json').toString('base64') }, request: { method: 'PATCH', url: `Patient/${patientId}` } };
      const tx = await post('/fhir/R4', JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [entry] }));
      expect(tx.statusCode).toBe(400);
      const batch = await post('/fhir/R4', JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [entry] }));
      expect(batch.json<{ entry: { response: { status: string } }[] }>().entry[0]?.response.status).toBe('400');
    });

    it('an ifNoneExist that is not a string is refused with 400 (store/process-bundle.ts, store/find-matches.ts)', async () => {
      const r = await post('/fhir/R4', JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient', ifNoneExist: [[1]] } }] }));
      expect(r.statusCode).toBe(400);
    });

    it('a request.method named like an Object.prototype member is refused (store/process-bundle.ts: `in ORDER`)', async () => {
      const r = await post('/fhir/R4', JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'toString', url: 'Patient' } }] }));
      expect(r.statusCode).toBe(400);
    });
  });
});
