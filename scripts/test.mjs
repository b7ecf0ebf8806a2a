// `npm test`: static checks, then every test suite, then one summary line `N passed, N failed`.
// Static checks (lint, type-check, circular imports, build) count as one test each in the summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const artifacts = `${root}.artifacts`;
mkdirSync(artifacts, { recursive: true });
const only = process.argv.slice(2);

function run(name, cmd, args, extraEnv = {}) {
  process.stdout.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  const ok = r.status === 0;
  process.stdout.write(`== ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return ok;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const check = (name, ok) => {
  if (ok) passed++;
  else {
    failed++;
    failures.push(name);
  }
};

const want = (name) => only.length === 0 || only.includes(name);
if (want('build')) {
  // The web app is built too: the server serves packages/web/dist and the browser e2e tests load it.
  check('build', run('build', 'npx', ['tsc', '-b', 'packages/server']) && run('build web app', 'npx', ['vite', 'build', 'packages/web', '--logLevel', 'warn']));
}
if (want('lint')) check('lint', run('lint', 'npx', ['eslint', '.', '--max-warnings', '0']));
if (want('typecheck')) {
  const server = run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.check.json']);
  const web = run('typecheck web app', 'npx', ['tsc', '-p', 'packages/web/tsconfig.json']) && run('typecheck web build', 'npx', ['tsc', '-p', 'packages/web/tsconfig.node.json']);
  check('typecheck', server && web);
}
if (want('circular')) {
  check('circular', run('circular imports', 'npx', ['madge', '--circular', '--extensions', 'ts', '--ts-config', 'tsconfig.base.json', 'packages/server/src', 'packages/contracts/src']));
}
/** Adds a vitest JSON report's counts and failures to the summary (a missing report is one failure). */
function countReport(report, ok, label) {
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    for (const suite of r.testResults) {
      for (const t of suite.assertionResults) if (t.status === 'failed') failures.push(`${suite.name.replace(root, '')} › ${t.fullName}`);
      if (suite.status === 'failed' && suite.assertionResults.length === 0) {
        failed++;
        failures.push(`${suite.name.replace(root, '')} (suite failed to run: ${String(suite.message).split('\n')[0]})`);
      }
    }
    if (!ok && r.numFailedTests === 0 && !failures.some((f) => f.includes('suite failed'))) {
      failed++;
      failures.push('vitest exited with an error');
    }
  } else {
    failed++;
    failures.push(`${label} produced no report`);
  }
}

if (want('vitest')) {
  const report = `${artifacts}/vitest-report.json`;
  rmSync(report, { force: true });
  if (!process.env.CARELINE_TEST_DATABASE_URL) {
    process.stdout.write('\nCARELINE_TEST_DATABASE_URL is not set: storage suites run on the embedded database only (PGlite).\n');
  }
  const ok = run('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { TZ: 'UTC' });
  countReport(report, ok, 'vitest');
}

if (want('video')) {
  // Browser media tests in a loopback-only network namespace (needs root; e2e/visits/run.mjs explains).
  const report = `${artifacts}/vitest-visits-report.json`;
  rmSync(report, { force: true });
  const ok = run('video tests (network namespace)', 'node', ['e2e/visits/run.mjs', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { TZ: 'UTC' });
  if (ok && !existsSync(report)) {
    // Exit 0 without a report: the runner printed why the namespace is unavailable (never in CI).
    skipped++;
  } else {
    countReport(report, ok, 'video tests');
  }
}

if (failures.length > 0) process.stdout.write(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
const summary = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync(`${artifacts}/summary.txt`, `${summary}\n`);
process.stdout.write(`\n${summary}\n`);
process.exitCode = failed === 0 ? 0 : 1;
