// `npm run bench -- NAME [args]`: builds the server (benches spawn the compiled CLI), then runs
// bench/NAME/index.ts or bench/NAME.ts with tsx. Without NAME, lists the benches there are.
// Figures go to docs/BENCHMARKS.md; see that file for how to read them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const benchDir = path.join(root, 'bench');

function listBenches() {
  const names = [];
  for (const entry of readdirSync(benchDir).sort()) {
    const full = path.join(benchDir, entry);
    if (statSync(full).isDirectory() && existsSync(path.join(full, 'index.ts'))) names.push(entry);
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) names.push(entry.slice(0, -3));
  }
  return names;
}

function entryFor(name) {
  const candidates = [path.join(benchDir, name, 'index.ts'), path.join(benchDir, `${name}.ts`)];
  return candidates.find((file) => existsSync(file));
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  const names = listBenches();
  process.stdout.write(`Usage: npm run bench -- NAME [args]\n\nBenches:\n${names.map((n) => `  ${n}`).join('\n') || '  (none)'}\n`);
  process.exit(0);
}
if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
  process.stderr.write(`bench: "${name}" is not a bench name (lower-case letters, digits and dashes)\n`);
  process.exit(2);
}
const entry = entryFor(name);
if (!entry) {
  process.stderr.write(`bench: no bench/${name}/index.ts or bench/${name}.ts. Available: ${listBenches().join(', ') || '(none)'}\n`);
  process.exit(2);
}

process.stdout.write('bench: building the server (npx tsc -b packages/server)…\n');
const build = spawnSync('npx', ['tsc', '-b', 'packages/server'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  process.stderr.write(`bench: build failed (exit ${build.status ?? build.signal}); not running ${name}\n`);
  process.exit(1);
}

// The bench records how it was run next to its figures.
const invokedByNpm = process.env.npm_lifecycle_event === 'bench';
const command = `${invokedByNpm ? 'npm run bench --' : 'node scripts/bench.mjs'} ${[name, ...args].join(' ')}`;
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const child = spawn(tsx, [entry, ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CARELINE_BENCH_COMMAND: command },
});
// Ctrl-C reaches the whole foreground group; the bench cleans up on its own signal and exits.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
