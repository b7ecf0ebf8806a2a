/**
 * Micro-benchmark of the FHIR write path's pure steps: search-index extraction (fhirpath.js, used,
 * against @medplum/core's FHIRPath) and validation, per resource.
 *   npx tsx bench/fhir-extract/index.ts [iterations]
 */
import { isDeepStrictEqual } from 'node:util';
import { createIndexExtractor, extractIndex, warmUpIndexExtraction, type IndexExtractor } from '../../packages/server/src/fhir/search-index/extract-index.js';
import { fhirpathJsEngine } from '../../packages/server/src/fhir/search-index/fhirpath-js-engine.js';
import { validateResource, warmUpValidator } from '../../packages/server/src/fhir/validation/validate-resource.js';
import { median } from '../lib/stats.js';
import { bloodPressure, patient } from './fixtures.js';
import { loadMedplum } from './medplum-engine.js';
import { edgeCases } from './edge-cases.js';

const iterations = Number(process.argv[2] ?? 20_000);

function time(label: string, run: () => unknown): { label: string; medianUs: number; p95Us: number } {
  for (let i = 0; i < 2000; i++) run();
  const samples = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    run();
    samples[i] = (performance.now() - t) * 1000;
  }
  samples.sort((a, b) => a - b);
  return { label, medianUs: median(samples), p95Us: samples[Math.floor(iterations * 0.95)] ?? NaN };
}

function sortedRows(extract: IndexExtractor, resource: object): string[] {
  return extract(resource).rows.map((r) => JSON.stringify(r)).sort();
}

let t = performance.now();
extractIndex(bloodPressure);
const coldExtractMs = performance.now() - t;
t = performance.now();
warmUpIndexExtraction();
const warmUpAllTypesMs = performance.now() - t;
t = performance.now();
warmUpValidator();
const coldValidateMs = performance.now() - t;
t = performance.now();
const medplum = await loadMedplum();
const medplumLoadMs = performance.now() - t;
const medplumExtract = createIndexExtractor(medplum.engine);
const fhirpathJsExtract = createIndexExtractor(fhirpathJsEngine);

const results = [
  time('extract  BP Observation   simple-path+fhirpath.js', () => extractIndex(bloodPressure)),
  time('extract  BP Observation   fhirpath.js only', () => fhirpathJsExtract(bloodPressure)),
  time('extract  BP Observation   @medplum/core only', () => medplumExtract(bloodPressure)),
  time('extract  Patient          simple-path+fhirpath.js', () => extractIndex(patient)),
  time('extract  Patient          fhirpath.js only', () => fhirpathJsExtract(patient)),
  time('extract  Patient          @medplum/core only', () => medplumExtract(patient)),
  time('validate BP Observation   careline', () => validateResource(bloodPressure)),
  time('validate BP Observation   careline (jsonBytes given)', () => validateResource(bloodPressure, { jsonBytes: 1200 })),
  time('validate BP Observation   @medplum/core', () => medplum.validate(bloodPressure)),
  time('validate Patient          careline', () => validateResource(patient)),
  time('validate Patient          @medplum/core', () => medplum.validate(patient)),
];

console.log(`node ${process.version}, ${iterations} iterations each, median and p95 per resource`);
for (const r of results) console.log(`${r.label.padEnd(54)} ${r.medianUs.toFixed(1).padStart(7)} µs   p95 ${r.p95Us.toFixed(1).padStart(7)} µs`);
console.log(`rows: BP ${extractIndex(bloodPressure).rows.length}, Patient ${extractIndex(patient).rows.length}`);
console.log(`cold start: first extraction ${coldExtractMs.toFixed(0)} ms, plans for all types ${warmUpAllTypesMs.toFixed(0)} ms, validator warm-up ${coldValidateMs.toFixed(0)} ms, @medplum/core load+index ${medplumLoadMs.toFixed(0)} ms`);

// Same rows from every engine? Differences are listed so a wrong engine shows up here.
let differing = 0;
const others = [['fhirpath.js', fhirpathJsExtract], ['@medplum/core', medplumExtract]] as const;
for (const [name, resource] of [['BP', bloodPressure], ['Patient', patient], ...edgeCases] as const) {
  const a = sortedRows(extractIndex, resource);
  for (const [engine, extract] of others) {
    const b = sortedRows(extract, resource);
    if (isDeepStrictEqual(a, b)) continue;
    differing++;
    console.log(`default engine and ${engine} disagree on ${name}:`);
    for (const row of a.filter((x) => !b.includes(x))) console.log(`  only default: ${row}`);
    for (const row of b.filter((x) => !a.includes(x))) console.log(`  only ${engine}: ${row}`);
  }
}
console.log(differing === 0 ? `all engines agree on all ${edgeCases.length + 2} resources` : `${differing} disagreements`);
