// `npm run dev`: the Careline server on :8080 (built first) and Vite on http://127.0.0.1:5173 with
// hot reload, proxying the API paths to the server. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const build = spawnSync('npx', ['tsc', '-b', 'packages/server'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [
  spawn(process.execPath, ['packages/server/bin/careline.js', 'start'], { cwd: root, stdio: 'inherit', env: { CARELINE_PORT: '8080', ...process.env } }),
  // The vite binary itself (not through npx), so stopping it stops the dev server.
  spawn(`${root}node_modules/.bin/vite`, ['packages/web'], { cwd: root, stdio: 'inherit' }),
];
console.log('\nCareline dev: open http://127.0.0.1:5173/ (API proxied to http://127.0.0.1:8080)\n');
const stop = (signal) => {
  for (const c of children) if (c.exitCode === null) c.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
for (const c of children) c.on('exit', (code) => {
  stop('SIGTERM');
  process.exitCode = code ?? 0;
});
