/**
 * How `careline` answers operator mistakes, through the real process: exit codes a script can rely on
 * (2 = usage, 1 = failure) and messages that name what is wrong.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { carelineEnv, killAll, makeTempDir, removeTempDirs, runCli } from './support/careline-process.js';

afterEach(killAll);
afterAll(removeTempDirs);

describe('careline usage errors', () => {
  it('with no command prints help and exits 2', async () => {
    const r = await runCli([], carelineEnv(path.join(makeTempDir('usage'), 'data')));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage: careline <command>');
    for (const command of ['start', 'migrate', 'doctor', 'backup', 'restore']) expect(r.stdout).toContain(`careline ${command}`);
  });

  it('`careline help` prints the same help and exits 0', async () => {
    const r = await runCli(['help'], carelineEnv(path.join(makeTempDir('usage'), 'data')));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: careline <command>');
  });

  it('an unknown command exits 2 and names it', async () => {
    const r = await runCli(['frobnicate'], carelineEnv(path.join(makeTempDir('usage'), 'data')));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it('a bad config value exits 1 naming the variable, before touching the data folder', async () => {
    const dataDir = path.join(makeTempDir('usage'), 'data');
    const r = await runCli(['start'], carelineEnv(dataDir, { CARELINE_PORT: 'abc' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CARELINE_PORT');
    expect(r.stderr).toContain('"abc"');
    expect(r.stdout).not.toContain('Careline is running');
    expect(existsSync(dataDir)).toBe(false);
  });
});
