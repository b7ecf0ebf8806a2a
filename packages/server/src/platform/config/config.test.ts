import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, describeConfig, loadConfig } from './config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/careline');
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('defaults to the embedded database in ./data on loopback', () => {
    const c = loadConfig({}, '/srv/careline');
    expect(c.host).toBe('127.0.0.1');
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '/srv/careline/data/pg' });
    expect(c.corsOrigins).toEqual([]);
    expect(c.tls).toBeUndefined();
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:secret@db:5432/careline', CARELINE_DB_POOL_MAX: '7' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u:secret@db:5432/careline', poolMax: 7 });
  });

  it('names each bad variable and what it expects', () => {
    const p = problems({ CARELINE_PORT: 'eighty', CARELINE_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(p.find((x) => x.startsWith('CARELINE_PORT:'))).toMatch(/whole number from 0 to 65535.*"eighty"/);
    expect(p.find((x) => x.startsWith('CARELINE_LOG_LEVEL:'))).toBeDefined();
    expect(p.find((x) => x.startsWith('DATABASE_URL:'))).toMatch(/postgres:\/\//);
  });

  it('never echoes a secret back in an error', () => {
    const p = problems({ DATABASE_URL: 'mysql://user:hunter2@x/db', CARELINE_METRICS_TOKEN: 'short-secret' });
    expect(p.join('\n')).not.toContain('hunter2');
    expect(p.join('\n')).not.toContain('short-secret');
  });

  it('requires TLS certificate and key together', () => {
    expect(problems({ CARELINE_TLS_CERT_FILE: 'cert.pem' })).toEqual([expect.stringMatching(/^CARELINE_TLS_KEY_FILE: .*set together/)]);
  });

  it('parses trust-proxy forms', () => {
    expect(loadConfig({ CARELINE_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ CARELINE_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ CARELINE_TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).trustProxy).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('reads a config file, with the environment winning, and rejects unknown keys', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'careline-cfg-'));
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ CARELINE_PORT: 9000, CARELINE_HOST: '0.0.0.0' }));
    const c = loadConfig({ CARELINE_CONFIG_FILE: 'c.json', CARELINE_HOST: '127.0.0.2' }, dir);
    expect(c.port).toBe(9000);
    expect(c.host).toBe('127.0.0.2');
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ CARELINE_PROT: 1 }));
    expect(() => loadConfig({ CARELINE_CONFIG_FILE: 'bad.json' }, dir)).toThrow(/CARELINE_PROT.*not a Careline setting/);
  });

  it('masks secrets when describing the effective configuration', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:hunter2@db/careline', CARELINE_METRICS_TOKEN: 'a-long-metrics-token-123' });
    const text = JSON.stringify(describeConfig(c));
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('a-long-metrics-token-123');
    expect(text).toContain('postgres://u:***@db/careline');
  });
});
