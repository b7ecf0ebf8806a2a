/**
 * A real coturn (Debian's `turnserver`) on 127.0.0.1 for the relay-only video tests, configured the
 * way docs/VIDEO.md tells a clinic to run it: TURN REST API authentication (`use-auth-secret` with a
 * `static-auth-secret`), plus what loopback-only tests need (`allow-loopback-peers`: coturn refuses
 * 127.x peers otherwise; no TLS/DTLS listeners, no CLI). Credentials are minted exactly as Careline's
 * server does: username `<expiry unix seconds>:<id>`, password base64(HMAC-SHA1(secret, username)).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './pg-cluster.js';

export const TURNSERVER_CANDIDATES = ['/usr/bin/turnserver', '/usr/sbin/turnserver'] as const;

export function turnserverPath(): string | undefined {
  return process.env.CARELINE_TURNSERVER_PATH ?? TURNSERVER_CANDIDATES.find((p) => existsSync(p));
}

export interface TurnCredentials {
  readonly username: string;
  readonly credential: string;
}

/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest-00 §2.2, as coturn implements
 * `use-auth-secret`): the username carries its own expiry, the password is the HMAC of the username.
 */
export function turnRestCredentials(secret: string, expiresAtUnix: number, id: string): TurnCredentials {
  const username = `${Math.floor(expiresAtUnix)}:${id}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

export interface RunningTurn {
  readonly port: number;
  readonly realm: string;
  readonly secret: string;
  /** `turn:127.0.0.1:<port>?transport=udp` and `…?transport=tcp`. */
  readonly urls: readonly string[];
  readonly logFile: string;
  /** Credentials valid for ttlSeconds from now (negative: already expired). */
  mint(ttlSeconds: number, id?: string): TurnCredentials;
  /** The whole log so far. */
  log(): string;
  stop(): Promise<void>;
}

/** The turnserver.conf a test uses (the production shape is in docs/VIDEO.md). */
export function turnConfig(o: { port: number; secret: string; realm: string; minPort: number; maxPort: number; dir: string }): string {
  return [
    `listening-port=${o.port}`,
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `min-port=${o.minPort}`,
    `max-port=${o.maxPort}`,
    'use-auth-secret',
    `static-auth-secret=${o.secret}`,
    `realm=${o.realm}`,
    'fingerprint',
    // Tests only: every peer is 127.0.0.1 inside the namespace; never in production.
    'allow-loopback-peers',
    'no-cli',
    'no-tls',
    'no-dtls',
    `log-file=${path.join(o.dir, 'turn.log')}`,
    'simple-log',
    'no-stdout-log',
    `pidfile=${path.join(o.dir, 'turn.pid')}`,
    `userdb=${path.join(o.dir, 'turndb')}`,
    '',
  ].join('\n');
}

async function waitForListener(port: number, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`turnserver exited (${child.exitCode ?? child.signalCode}) before listening:\n${readLog(logFile)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`turnserver did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${readLog(logFile)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
}

export async function startCoturn(options: { realm?: string } = {}): Promise<RunningTurn> {
  const bin = turnserverPath();
  if (!bin) throw new Error(`no turnserver at ${TURNSERVER_CANDIDATES.join(' or ')} (apt-get install coturn)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'careline-turn-'));
  const port = await freePort();
  // A 200-port relay range somewhere high, so two runs on one machine rarely meet.
  const minPort = 20_000 + randomInt(0, 200) * 200;
  const secret = randomBytes(24).toString('base64url');
  const realm = options.realm ?? 'careline.test';
  const conf = path.join(dir, 'turnserver.conf');
  const logFile = path.join(dir, 'turn.log');
  writeFileSync(conf, turnConfig({ port, secret, realm, minPort, maxPort: minPort + 199, dir }), { mode: 0o600 });
  const child = spawn(bin, ['-c', conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForListener(port, child, logFile, 15_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    realm,
    secret,
    urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
    logFile,
    mint: (ttlSeconds, id = randomBytes(8).toString('hex')) => turnRestCredentials(secret, Math.floor(Date.now() / 1000) + ttlSeconds, id),
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    stop,
  };
}
