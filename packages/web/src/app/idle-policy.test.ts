import { describe, expect, it } from 'vitest';
import { announcedIdleSeconds, DEFAULT_IDLE_SECONDS, idlePolicy, idleState } from './idle-policy';

describe('idle sign-out policy', () => {
  const p = idlePolicy(30 * 60);

  it('signs out before the server would (30 min idle → shortly before 30 min)', () => {
    expect(idleState(p, 0)).toEqual({ kind: 'active' });
    expect(idleState(p, 27 * 60_000).kind).toBe('active');
    expect(idleState(p, 29 * 60_000)).toEqual({ kind: 'warning', secondsLeft: 50 });
    expect(idleState(p, 30 * 60_000 - 10_000)).toEqual({ kind: 'expired' });
  });

  it('keeps an active user alive by touching the server within each idle window', () => {
    expect(p.keepAliveMs).toBeLessThan(p.idleMs - p.warnMs - p.marginMs);
  });

  it('works for short test timeouts too', () => {
    const short = idlePolicy(20);
    expect(idleState(short, 0).kind).toBe('active');
    expect(idleState(short, 16_000).kind).toBe('warning');
    expect(idleState(short, 19_000).kind).toBe('expired');
  });

  it('reads the timeout the server wrote into index.html', () => {
    const doc = (content: string | null) => ({ querySelector: () => (content === null ? null : { getAttribute: () => content }) }) as unknown as Document;
    expect(announcedIdleSeconds(doc('600'))).toBe(600);
    expect(announcedIdleSeconds(doc('nope'))).toBe(DEFAULT_IDLE_SECONDS);
    expect(announcedIdleSeconds(doc(null))).toBe(DEFAULT_IDLE_SECONDS);
  });
});
