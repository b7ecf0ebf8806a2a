/**
 * `careline demo` through the real process: directly on a stopped embedded database, then refused
 * through the running server (it is loaded once); a printed demo account signs in over HTTP.
 */
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { carelineEnv, killAll, makeTempDir, removeTempDirs, runCli, startCareline } from './support/careline-process.js';

afterEach(killAll);
afterAll(removeTempDirs);

const cheap = { CARELINE_PASSWORD_HASH_MEMORY_KIB: '64', CARELINE_PASSWORD_HASH_TIME_COST: '1' };

describe('careline demo', () => {
  it('loads the demo clinic once and prints accounts that sign in', { timeout: 180_000 }, async () => {
    const env = carelineEnv(path.join(makeTempDir('cli-demo'), 'data'), cheap);
    expect((await runCli(['demo', '--patients', 'zero'], env, 60_000)).code).toBe(2);
    const demo = await runCli(['demo', '--patients', '3'], env, 150_000);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('3 patients');
    const password = /shown once\): (\S+)/.exec(demo.stdout)?.[1] ?? '';
    expect(password).toMatch(/^demo-/);
    const patientEmail = /patient\s+(\S+@\S+)/.exec(demo.stdout)?.[1] ?? '';
    expect(patientEmail).toContain('@');

    const server = await startCareline(env);
    const again = await runCli(['demo'], env, 60_000);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/loaded already/);
    const login = await fetch(new URL('auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: patientEmail, password }),
    });
    expect(login.status).toBe(200);
  });
});
