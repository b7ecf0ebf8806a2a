import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, MAX_PAGE, parseReportQuery, ReportQueryError, SORT_COLUMNS } from './report-query.js';

const KEYS = ['from', 'to', 'agent', 'patient', 'action', 'outcome', 'kind', 'sort', 'order', 'limit', 'cursor', 'format', 'content', '__proto__', 'x'];

/** The report's query parser takes anything a client sends: it either yields a closed, bounded query or a ReportQueryError naming a field. */
describe('audit report query parser', () => {
  it('never throws anything but ReportQueryError, and what it accepts is bounded and closed', () => {
    const value = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('2025-01-02', '2025-01-02T03:04:05Z', 'Patient/p1', 'User/u1', 'C', '4', 'asc', 'seq', 'csv', '0', '501', '-1'), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }), (raw) => {
        try {
          const q = parseReportQuery(raw);
          expect(SORT_COLUMNS).toContain(q.sort);
          expect(['asc', 'desc']).toContain(q.order);
          expect(q.limit).toBeGreaterThanOrEqual(1);
          expect(q.limit).toBeLessThanOrEqual(MAX_PAGE);
          if (q.filters.from) expect(Number.isNaN(Date.parse(q.filters.from))).toBe(false);
          if (q.filters.patient) expect(q.filters.patient).toMatch(/^Patient\/[A-Za-z0-9\-.]{1,64}$/);
          if (q.filters.outcome !== undefined) expect([0, 4, 8, 12]).toContain(q.filters.outcome);
        } catch (err) {
          expect(err).toBeInstanceOf(ReportQueryError);
          expect((err as ReportQueryError).field.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every cursor it makes, and refuses any other text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SORT_COLUMNS), fc.nat(), fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 12 }), (sort, seq, text, n) => {
        const value = sort === 'seq' || sort === 'outcome' ? n : sort === 'recorded' ? new Date(seq).toISOString() : text;
        expect(decodeCursor(encodeCursor({ value, seq }), sort)).toEqual({ value, seq });
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom(...SORT_COLUMNS), (junk, sort) => {
        try {
          decodeCursor(junk, sort);
        } catch (err) {
          expect(err).toBeInstanceOf(ReportQueryError);
        }
      }),
    );
  });

  it('reads a date alone as whole UTC days', () => {
    const q = parseReportQuery({ from: '2025-03-01', to: '2025-03-01' });
    expect(q.filters).toEqual({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-02T00:00:00.000Z' });
    expect(() => parseReportQuery({ from: '2025-03-02', to: '2025-02-28' })).toThrow(ReportQueryError);
  });
});
