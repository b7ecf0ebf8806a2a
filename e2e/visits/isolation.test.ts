/**
 * The runner's promises, checked from inside: only loopback, nothing reachable beyond it (not even the
 * host's PostgreSQL on its own 127.0.0.1), and the runner refusing loudly where it cannot isolate.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertLoopbackOnly, insideNamespace, interfaceNames, runInLoopbackNamespace, tryConnect } from '../support/netns.js';

const RUNNER = fileURLToPath(new URL('./run.mjs', import.meta.url));

describe('the loopback-only network namespace', () => {
  it('has only lo, and connects beyond it fail at once', async () => {
    expect(insideNamespace()).toBe(true);
    expect(interfaceNames()).toEqual(['lo']);
    await assertLoopbackOnly();
  });

  it("cannot reach the host's PostgreSQL: 127.0.0.1:5432 here is the namespace's own, empty loopback", async () => {
    expect(await tryConnect('127.0.0.1', 5432)).toBe('ECONNREFUSED');
  });

  it('runInLoopbackNamespace runs a command in a fresh namespace and returns its exit status', () => {
    const script = '[ "$(ip -o link show | wc -l)" = 1 ] && [ "$CARELINE_NETNS" = loopback-only ] && exit 7';
    expect(runInLoopbackNamespace('sh', ['-c', script])).toBe(7);
  });
});

describe('e2e/visits/run.mjs where it cannot create a namespace (not root)', () => {
  const asNobody = (ci: boolean) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(ci ? { CI: 'true' } : {}) };
    return spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, RUNNER], { encoding: 'utf8', env, timeout: 30_000 });
  };

  it('outside CI: a loud notice that nothing ran, exit 0', () => {
    const r = asNobody(false);
    expect(r.stderr).toContain('They were NOT run');
    expect(r.stderr).toContain('not running as root');
    expect(r.status).toBe(0);
  });

  it('in CI: a failure', () => {
    const r = asNobody(true);
    expect(r.stderr).toContain('In CI this is a failure');
    expect(r.status).toBe(1);
  });
});
