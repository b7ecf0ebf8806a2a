/**
 * `careline orgs|users|clients` through the real process: directly on a stopped embedded database,
 * and through the running server's loopback routes while it holds the database. The accounts they
 * create then log in over HTTP; the client gets a token from /oauth2/token.
 */
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { carelineEnv, killAll, makeTempDir, removeTempDirs, runCli, startCareline } from './support/careline-process.js';

afterEach(killAll);
afterAll(removeTempDirs);

const cheap = { CARELINE_PASSWORD_HASH_MEMORY_KIB: '64', CARELINE_PASSWORD_HASH_TIME_COST: '1' };

describe('careline identity commands', () => {
  it('work directly, then through the running server', async () => {
    const env = carelineEnv(path.join(makeTempDir('cli-identity'), 'data'), cheap);
    const org = await runCli(['orgs', 'add', 'North', 'Clinic'], env, 60_000);
    expect(org.code, org.stderr).toBe(0);
    const orgId = org.stdout.trim();
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
    const user = await runCli(['users', 'add', '--email', 'Pat@Example.test', '--password', 'a long patient passphrase', '--role', 'patient', '--given', 'Pat', '--family', 'Doe', '--birth-date', '1980-01-02', '--org', orgId], env, 60_000);
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toMatch(/Patient\//);
    const weak = await runCli(['users', 'add', '--email', 'x@example.test', '--password', 'password1', '--role', 'patient', '--org', orgId], env, 60_000);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/too common/);

    const server = await startCareline(env);
    try {
      const client = await runCli(['clients', 'add', '--scope', 'system/*.read', '--org', orgId], env);
      expect(client.code, client.stderr).toBe(0);
      const id = /client_id=(\S+)/.exec(client.stdout)?.[1] ?? '';
      const secret = /client_secret=(\S+)/.exec(client.stdout)?.[1] ?? '';
      const token = await fetch(new URL('/oauth2/token', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${id}&client_secret=${secret}`,
      });
      expect(token.status).toBe(200);

      const login = await fetch(new URL('/auth/login', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'pat@example.test', password: 'a long patient passphrase' }),
      });
      expect(login.status).toBe(200);
      const disable = await runCli(['users', 'disable', '--email', 'pat@example.test'], env);
      expect(disable.code, disable.stderr).toBe(0);
      expect(disable.stdout).toContain('through the running server');
      const { accessToken } = (await login.json()) as { accessToken: string };
      const me = await fetch(new URL('/auth/me', server.url), { headers: { authorization: `Bearer ${accessToken}` } });
      expect(me.status).toBe(401);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
