/**
 * The video tests run inside a Linux network namespace that has nothing but loopback
 * (`unshare --net` + `ip link set lo up`): Chromium's ICE gathering then only ever sees 127.0.0.1, and
 * no media, STUN or TURN packet can leave the machine. e2e/visits/run.mjs enters the namespace; this
 * module proves, from inside, that it really is one, and lets a bench re-run itself inside one too.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';

/** Set by the runner in the environment of everything it starts inside the namespace. */
export const NETNS_ENV = 'CARELINE_NETNS';
export const NETNS_VALUE = 'loopback-only';

/**
 * Addresses a connect must fail for: documentation ranges (RFC 5737, RFC 3849) that are never
 * routed to anyone, so even a check run outside a namespace sends nothing to a real host.
 */
export const OUTSIDE_ADDRESSES = ['192.0.2.1', '2001:db8::1'] as const;

/** Network interfaces in this process's namespace, from `ip` (sysfs shows the mounting namespace's). */
export function interfaceNames(): string[] {
  const r = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip -o link show failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** How a TCP connect to host ends within timeoutMs: 'connected', an errno code, or 'timeout'. */
export function tryConnect(host: string, port = 9, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (how: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(how);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('connected'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/**
 * Throws unless this process is in a loopback-only namespace: `lo` is the only interface, it is up
 * (127.0.0.1 answers), and connects to non-loopback addresses fail at once (no route), rather than
 * time out somewhere on a network.
 */
export async function assertLoopbackOnly(): Promise<void> {
  const names = interfaceNames();
  if (names.length !== 1 || names[0] !== 'lo') throw new Error(`not a loopback-only namespace: interfaces ${names.join(', ')}`);
  for (const host of OUTSIDE_ADDRESSES) {
    const how = await tryConnect(host);
    if (how !== 'ENETUNREACH') throw new Error(`a connect to ${host} ended with ${how}, not ENETUNREACH: the namespace has a route out`);
  }
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  const how = await tryConnect('127.0.0.1', port);
  probe.close();
  if (how !== 'connected') throw new Error(`loopback is not up in the namespace (connect to 127.0.0.1 ended with ${how})`);
}

/** Why this process cannot create a network namespace, or undefined when it can. */
export function whyNoNamespace(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux-only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root (unshare --net needs CAP_SYS_ADMIN)';
  for (const tool of ['/usr/bin/unshare', '/usr/sbin/ip']) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      return `${tool} is missing (packages util-linux and iproute2)`;
    }
  }
  return undefined;
}

export function insideNamespace(): boolean {
  return process.env[NETNS_ENV] === NETNS_VALUE;
}

/**
 * Runs `command args` in a fresh loopback-only namespace (synchronously, output inherited) and
 * returns its exit status. Used by bench/visit to re-run itself; e2e/visits/run.mjs does the same in
 * plain JavaScript because it must start before any TypeScript loader.
 */
export function runInLoopbackNamespace(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const script = 'ip link set lo up && exec "$@"';
  const r = spawnSync('unshare', ['--net', '--', 'sh', '-c', script, 'netns', command, ...args], {
    stdio: 'inherit',
    env: { ...env, [NETNS_ENV]: NETNS_VALUE },
  });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
