import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './repo.js';

export const BENCHMARKS_FILE = path.join(REPO_ROOT, 'docs/BENCHMARKS.md');

const HEADER = `# Benchmarks

Figures from the \`bench/\` scripts, newest at the bottom. Speed is measured here, not in timed tests.

- **How to run:** \`npm run bench\` lists the benches; \`npm run bench -- NAME [args]\` builds the server
  and runs \`bench/NAME\`, which prints a table and appends a dated section below with the exact command.
- **Medians:** the machine is 2 shared cores and other work (test runs, other builds) may share it, so
  every figure is the median of several runs or of one-second samples, never a best case.
- **Ratios to the raw ceiling:** throughput is compared against a bare \`node:http\` server answering
  the same body under the same load, in the same run. The ratio says what Careline's stack costs and
  survives a noisy machine better than the absolute numbers do.
- Load comes from autocannon in the bench process, on the same 2 cores as the server it measures.
- **Busy machine:** each section's machine line gives the load average before and after the run; with
  a load well above 2, wall times stretch. Start-up rows also give the server's CPU time, which hardly
  moves with contention: compare those across sections.
`;

/** A GitHub-flavoured markdown table. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** What the figures depend on: cores, CPU, Node, and how busy the machine was around the run. */
export function machineNote(loadBefore: readonly number[]): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = (l: readonly number[]): string => l.map((n) => n.toFixed(2)).join(' / ');
  return [
    `${os.availableParallelism()} shared cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}`,
    `Node ${process.version}`,
    `load average (1/5/15 min) before ${load(loadBefore)}, after ${load(os.loadavg())}`,
  ].join('; ');
}

/** How this bench was started: scripts/bench.mjs says so; otherwise it was run with tsx directly. */
export function benchCommand(): string {
  const direct = ['node_modules/.bin/tsx', path.relative(REPO_ROOT, process.argv[1] ?? ''), ...process.argv.slice(2)].join(' ');
  return process.env.CARELINE_BENCH_COMMAND ?? direct;
}

/** Appends one dated section, creating the file with its explanatory header the first time. */
export function appendSection(title: string, body: string): void {
  if (!existsSync(BENCHMARKS_FILE)) writeFileSync(BENCHMARKS_FILE, HEADER);
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  appendFileSync(BENCHMARKS_FILE, `\n## ${date} UTC — ${title}\n\n${body.trimEnd()}\n`);
}
