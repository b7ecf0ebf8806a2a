// `npm run bench -- visit [--runs 5] [--connections 1000] [--only call|room] [--no-docs]`: join → first decoded frame on both sides, median of
// N, peer-to-peer and relay-only through coturn, for the floor (a bare two-page call through the
// minimal signaling server in floor-server.ts) and for Careline's visit room, in the same run. Goal:
// Careline ≤ floor + 100 ms. Then 1,000 waiting-room WebSockets on one instance: admit → notified p99
// and the server's RSS. `--only call` / `--only room` runs just one of the two. As root it re-runs itself inside a loopback-only network namespace, like the
// video e2e tests, so ICE only ever sees 127.0.0.1.
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { startCoturn, turnserverPath } from '../../e2e/support/coturn.js';
import { insideNamespace, runInLoopbackNamespace, whyNoNamespace } from '../../e2e/support/netns.js';
import { defer, runWithCleanup } from '../lib/cleanup.js';
import { REPO_ROOT } from '../lib/repo.js';
import { appendSection, benchCommand, BENCHMARKS_FILE, machineNote, markdownTable } from '../lib/report.js';
import { formatMs, max, median, min } from '../lib/stats.js';
import { measureCarelineCall, measureWaitingRoomLoad } from './careline-room.js';
import { floorCall, launchMediaBrowser, type CallSamples, type Path, type RtcConfig } from './floor-call.js';
import { startFloorServer } from './floor-server.js';

const { values: opts } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, connections: { type: 'string', default: '1000' }, only: { type: 'string', default: 'all' }, 'no-docs': { type: 'boolean', default: false } },
});
const GOAL_OVER_FLOOR_MS = 100;

function row(label: string, s: CallSamples, floor?: CallSamples): string[] {
  const m = median(s.ms);
  const goal = floor ? `≤ floor + ${GOAL_OVER_FLOOR_MS} ms: **${m <= median(floor.ms) + GOAL_OVER_FLOOR_MS ? 'PASS' : 'FAIL'}** (+${Math.round(m - median(floor.ms))} ms)` : '— (the floor)';
  return [label, s.path, String(s.ms.length), `**${formatMs(m)}**`, `${formatMs(min(s.ms))} – ${formatMs(max(s.ms))}`, goal];
}

async function main(): Promise<void> {
  if (opts.only !== 'all' && opts.only !== 'call' && opts.only !== 'room') throw new Error('--only must be call or room');
  if (opts.only === 'room') return roomOnly();
  const runs = Number(opts.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const loadBefore = os.loadavg();
  const isolation = insideNamespace() ? 'inside a loopback-only network namespace (unshare --net)' : `on the host network (${whyNoNamespace() ?? 'not re-run in a namespace'})`;
  const floor = await startFloorServer();
  defer('close the floor signaling server', () => floor.close());
  const browser = await launchMediaBrowser();
  defer('close Chromium', () => browser.close());
  const turn = turnserverPath() ? await startCoturn() : undefined;
  if (turn) defer('stop coturn', () => turn.stop());
  else console.warn('No turnserver (apt-get install coturn): the relay rows are skipped.');

  const configs: { path: Path; config: () => RtcConfig }[] = [{ path: 'peer-to-peer', config: () => ({ iceServers: [], iceTransportPolicy: 'all' }) }];
  if (turn) configs.push({ path: 'relay (TURN)', config: () => ({ iceServers: [{ urls: turn.urls, ...turn.mint(600) }], iceTransportPolicy: 'relay' }) });

  const floorSamples: CallSamples[] = [];
  for (const { path: p, config } of configs) {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const call = await floorCall(browser, floor.origin, config());
      ms.push(call.joinToBothDecodedMs);
      await Promise.all([call.waiting.close(), call.joining.close()]);
      console.log(`floor ${p} run ${i + 1}/${runs}: ${Math.round(call.joinToBothDecodedMs)} ms`);
    }
    floorSamples.push({ path: p, ms });
  }

  const careline = await measureCarelineCall({ browser, runs, turn, paths: configs.map((c) => c.path) });
  const rows = floorSamples.map((s) => row('floor (bare two-page call)', s));
  const notes: string[] = [];
  if ('missing' in careline) notes.push(`Careline's visit room: **not measured** — ${careline.missing}`);
  else for (const s of careline.samples) rows.push(row('Careline (waiting room → Admit → room)', s, floorSamples.find((f) => f.path === s.path)));

  const loadSection = opts.only === 'call' ? '' : await loadMarkdown();

  const body = [
    `Command: \`${benchCommand()}\``,
    '',
    `Machine: ${machineNote(loadBefore)}; ${isolation}; Chromium ${browser.version()} with fake camera and microphone (640 × 360, 30 fps).`,
    '',
    `Join → first decoded video frame on both sides: from the moment the second participant joins (the first is already connected and waiting — the shape of a clinician admitting a waiting patient) until \`getStats()\` shows \`framesDecoded > 0\` for inbound video on both pages (polled every 10 ms). Careline rows: the patient waits in \`/portal/visits/:id/join\`, the clinician admits from \`/console/visits/:id\`; from the Admit click (timed in the clinician's page) until both pages decode video, one new appointment per run, embedded database. Fresh browser contexts each run; median of ${runs}. Relay rows use \`iceTransportPolicy: 'relay'\` through coturn ${turn ? `on 127.0.0.1:${turn.port}` : '(not installed)'} with TURN REST credentials.`,
    '',
    markdownTable(['Call', 'Path', 'Runs', 'Median', 'Range', 'Goal'], rows),
    ...notes.map((n) => `\n${n}`),
    '',
    loadSection,
  ].join('\n');
  console.log(`\n${body}\n`);
  if (!opts['no-docs']) {
    appendSection('visit', body);
    console.log(`Appended to ${path.relative(REPO_ROOT, BENCHMARKS_FILE)}`);
  }
}

async function loadMarkdown(): Promise<string> {
  const load = await measureWaitingRoomLoad({ connections: Number(opts.connections) });
  return 'missing' in load ? `${opts.connections} waiting-room WebSockets: **not measured** — ${load.missing}` : load.markdown;
}

/** `--only room`: the waiting-room load alone (no browser, no coturn). */
async function roomOnly(): Promise<void> {
  const loadBefore = os.loadavg();
  const isolation = insideNamespace() ? 'inside a loopback-only network namespace (unshare --net)' : `on the host network (${whyNoNamespace() ?? 'not re-run in a namespace'})`;
  const section = await loadMarkdown();
  const body = [`Command: \`${benchCommand()}\``, '', `Machine: ${machineNote(loadBefore)}; ${isolation}.`, '', section].join('\n');
  console.log(`\n${body}\n`);
  if (!opts['no-docs']) {
    appendSection('visit (waiting room)', body);
    console.log(`Appended to ${path.relative(REPO_ROOT, BENCHMARKS_FILE)}`);
  }
}

// As root and not yet isolated: run this same bench again inside a fresh loopback-only namespace.
if (!insideNamespace() && whyNoNamespace() === undefined) {
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  process.exitCode = runInLoopbackNamespace(tsx, [path.join(REPO_ROOT, 'bench/visit/index.ts'), ...process.argv.slice(2)], {
    ...process.env,
    CARELINE_BENCH_COMMAND: benchCommand(),
  });
} else {
  await runWithCleanup(main);
}
