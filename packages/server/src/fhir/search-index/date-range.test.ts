import { describe, expect, it } from 'vitest';
import { dateRange } from './date-range.js';

describe('date ranges (https://hl7.org/fhir/R4/search.html#date)', () => {
  it.each([
    ['2024', '2024-01-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z'],
    ['2024-02', '2024-02-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z'],
    ['2023-02', '2023-02-01T00:00:00.000Z', '2023-02-28T23:59:59.999Z'],
    ['2024-12-31', '2024-12-31T00:00:00.000Z', '2024-12-31T23:59:59.999Z'],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.999Z'],
    ['2024-05-01T10:00:00.5Z', '2024-05-01T10:00:00.500Z', '2024-05-01T10:00:00.599Z'],
    ['2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01T10:00:00.123456Z', '2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.123Z'],
  ])('%s covers %s to %s', (text, low, high) => {
    expect(dateRange(text)).toEqual({ low, high });
  });

  it('applies time-zone offsets', () => {
    expect(dateRange('2024-05-01T10:00:00+02:00')).toEqual({ low: '2024-05-01T08:00:00.000Z', high: '2024-05-01T08:00:00.999Z' });
    expect(dateRange('2024-12-31T23:30:00-05:00')).toEqual({ low: '2025-01-01T04:30:00.000Z', high: '2025-01-01T04:30:00.999Z' });
    expect(dateRange('2024-05-01T00:15:00+14:00')?.low).toBe('2024-04-30T10:15:00.000Z');
  });

  it('reads a date or a zoneless time as UTC', () => {
    expect(dateRange('2024-05-01T10:00:00')).toEqual({ low: '2024-05-01T10:00:00.000Z', high: '2024-05-01T10:00:00.999Z' });
    expect(dateRange('2024-05-01T10:00')).toEqual({ low: '2024-05-01T10:00:00.000Z', high: '2024-05-01T10:00:59.999Z' });
  });

  it('keeps years before 100 as written', () => {
    expect(dateRange('0079')).toEqual({ low: '0079-01-01T00:00:00.000Z', high: '0079-12-31T23:59:59.999Z' });
  });

  it('reads a leap second as the last moment of its minute', () => {
    expect(dateRange('2016-12-31T23:59:60Z')).toEqual({ low: '2016-12-31T23:59:59.000Z', high: '2016-12-31T23:59:59.999Z' });
  });

  it('clamps a range that would leave year 9999', () => {
    expect(dateRange('9999-12-31T23:00:00-05:00')?.high).toBe('9999-12-31T23:59:59.999Z');
  });

  it.each(['', 'yesterday', '2024-13', '2024-02-30', '2023-02-29', '2024-05-01T25:00:00Z', '24-05-01', '0000'])('rejects %j', (text) => {
    expect(dateRange(text)).toBeNull();
  });
});
