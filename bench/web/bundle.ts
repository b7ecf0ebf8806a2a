/**
 * What a first visit to each route downloads, from Vite's build manifest: the entry chunk and its
 * static imports, plus the route's lazy chunk and its static imports (React Router loads both before
 * the first render), with the CSS they pull in. Sizes are gzip level 9, as the server sends them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ManifestChunk {
  readonly file: string;
  readonly src?: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly css?: readonly string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface RouteWeight {
  readonly path: string;
  readonly jsFiles: number;
  readonly jsRaw: number;
  readonly jsGzip: number;
  readonly cssRaw: number;
  readonly cssGzip: number;
}

/** The registry's routes and the module each loads: `path: '/x'` followed by `import('../y')`. */
export function routesFromRegistry(source: string): { path: string; module: string }[] {
  const out: { path: string; module: string }[] = [];
  const re = /path:\s*'([^']+)'[\s\S]*?import\('([^']+)'\)/g;
  for (const m of source.matchAll(re)) if (m[1] && m[2]) out.push({ path: m[1], module: m[2] });
  return out;
}

/** Every manifest key reachable by static imports from these keys. */
export function staticClosure(manifest: Manifest, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const key = stack.pop() as string;
    if (seen.has(key) || !manifest[key]) continue;
    seen.add(key);
    stack.push(...(manifest[key].imports ?? []));
  }
  return seen;
}

export function weigh(outDir: string, manifest: Manifest, routePath: string, keys: Set<string>): RouteWeight {
  let jsRaw = 0;
  let jsGzip = 0;
  let cssRaw = 0;
  let cssGzip = 0;
  const css = new Set<string>();
  for (const key of keys) {
    const chunk = manifest[key];
    if (!chunk) continue;
    const body = readFileSync(path.join(outDir, chunk.file));
    jsRaw += body.length;
    jsGzip += gzipSync(body, { level: 9 }).length;
    for (const c of chunk.css ?? []) css.add(c);
  }
  for (const file of css) {
    const body = readFileSync(path.join(outDir, file));
    cssRaw += body.length;
    cssGzip += gzipSync(body, { level: 9 }).length;
  }
  return { path: routePath, jsFiles: keys.size, jsRaw, jsGzip, cssRaw, cssGzip };
}

/** The manifest key of a registry module ('../portal/patient-home' → 'src/portal/patient-home.tsx'). */
export function keyForModule(manifest: Manifest, module: string): string | undefined {
  const base = `src/${path.posix.normalize(path.posix.join('app', module))}`;
  return Object.keys(manifest).find((k) => k === `${base}.tsx` || k === `${base}.ts`);
}
