// `node e2e/visits/run.mjs [vitest args…]`: the video e2e tests, inside a network namespace with only
// loopback. As root it re-executes itself under `unshare --net` after `ip link set lo up`, checks from
// inside that `lo` is the only interface and that a connect to a non-loopback address fails, then runs
// `vitest run --config e2e/visits/vitest.config.ts` there. Chromium then gathers ICE candidates on
// 127.0.0.1 only, and no media, STUN or TURN packet can reach another machine.
// Not root (or no unshare/ip): a loud notice and exit 0 outside CI; a failure in CI (CI=true).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import { setTimeout, clearTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const NETNS_ENV = 'CARELINE_NETNS';
const NETNS_VALUE = 'loopback-only';
const root = fileURLToPath(new URL('../../', import.meta.url));
const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

function whyNoNamespace() {
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

function connectOutcome(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (how) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(how);
    };
    const timer = setTimeout(() => done('timeout'), 2000);
    socket.once('connect', () => done('connected'));
    socket.once('error', (err) => done(err.code ?? err.message));
  });
}

/** Inside: only `lo`, and no route anywhere else (documentation addresses, RFC 5737 / RFC 3849). */
async function verifyInside() {
  const r = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  const names = r.stdout.split('\n').map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1]).filter(Boolean);
  if (names.length !== 1 || names[0] !== 'lo') throw new Error(`expected only lo in the namespace, found: ${names.join(', ')}`);
  for (const host of ['192.0.2.1', '2001:db8::1']) {
    const how = await connectOutcome(host, 9);
    if (how !== 'ENETUNREACH') throw new Error(`a connect to ${host} ended with ${how}, expected ENETUNREACH`);
  }
}

if (process.env[NETNS_ENV] === NETNS_VALUE) {
  try {
    await verifyInside();
  } catch (err) {
    console.error(`e2e/visits/run.mjs: the network namespace is not isolated: ${err.message}`);
    process.exit(1);
  }
  console.log('e2e/visits: inside a network namespace (only lo; non-loopback connects fail with ENETUNREACH)');
  const r = spawnSync('npx', ['vitest', 'run', '--config', 'e2e/visits/vitest.config.ts', ...args], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const why = whyNoNamespace();
if (why) {
  const bar = '!'.repeat(78);
  const notice = `\n${bar}\n!! The video e2e tests (e2e/visits) need a network namespace: ${why}.\n!! They were NOT run. Run them as root: sudo node e2e/visits/run.mjs\n${bar}\n`;
  if (process.env.CI === 'true') {
    console.error(`${notice}In CI this is a failure.`);
    process.exit(1);
  }
  console.warn(notice);
  process.exit(0);
}

// `ip link set lo up` first: a new namespace's loopback is down. `exec` keeps one process chain, so a
// signal to this runner reaches the tests.
const r = spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'netns', process.execPath, self, ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, [NETNS_ENV]: NETNS_VALUE },
});
if (r.error) {
  console.error(`e2e/visits/run.mjs: could not start unshare: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? 1);
