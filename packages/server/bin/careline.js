#!/usr/bin/env node
// The `careline` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (which `npm start` runs first).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('careline: not built yet. Run `npm run build` (or `npm start`) in the Careline folder first.\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
