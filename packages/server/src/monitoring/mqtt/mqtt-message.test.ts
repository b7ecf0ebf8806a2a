import { describe, expect, it } from 'vitest';
import { deviceIdOfTopic, errorsTopic, parseReadingsPayload, sharedReadingsFilter } from './mqtt-message.js';

describe('MQTT message contract', () => {
  it('reads the device id from its readings topic only', () => {
    expect(deviceIdOfTopic('careline/devices/abc-1/readings')).toBe('abc-1');
    expect(deviceIdOfTopic('careline/devices/abc/errors')).toBeUndefined();
    expect(deviceIdOfTopic('careline/devices/a b/readings')).toBeUndefined();
    expect(errorsTopic('abc')).toBe('careline/devices/abc/errors');
    expect(sharedReadingsFilter('careline')).toBe('$share/careline/careline/devices/+/readings');
  });

  it('takes the webhook body or one reading, and locates problems in what was sent', () => {
    const one = { type: 'weight', value: 80, unit: 'kg', takenAt: '2026-11-23T08:00:00Z' };
    const a = parseReadingsPayload(Buffer.from(JSON.stringify(one)));
    const b = parseReadingsPayload(Buffer.from(JSON.stringify({ readings: [one] })));
    expect(a).toEqual(b);
    expect(a.ok).toBe(true);
    const bad = parseReadingsPayload(Buffer.from(JSON.stringify({ type: 'weight', value: 'x', takenAt: '2026-11-23T08:00:00' })));
    expect(bad.ok ? [] : bad.problems.map((p) => p.path).sort()).toEqual(['takenAt', 'value']);
    const badBatch = parseReadingsPayload(Buffer.from(JSON.stringify({ readings: [one, { ...one, value: 'x' }] })));
    expect(badBatch.ok ? [] : badBatch.problems.map((p) => p.path)).toEqual(['readings[1].value']);
    const notJson = parseReadingsPayload(Buffer.from('{'));
    expect(notJson.ok ? '' : notJson.problems[0]?.path).toBe('$');
  });
});
