import { postTransaction } from './fhir-client.js';
import { numberedPatient, randomObservation, transactionBundle } from './resources.js';

const MAX_BUNDLE = 1000;
/** Ids kept for the read-by-id load: enough that reads spread over the table. */
const ID_SAMPLE = 20_000;

export async function createPatients(fhirBase: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < count; from += MAX_BUNDLE) {
    const n = Math.min(MAX_BUNDLE, count - from);
    ids.push(...(await postTransaction(fhirBase, transactionBundle(Array.from({ length: n }, (_, i) => numberedPatient(from + i))))));
  }
  return ids;
}

export interface LoadPlan {
  readonly count: number;
  readonly bundleSize: number;
  readonly concurrency: number;
  /** Stop starting new bundles after this long: a slow backend gets a smaller data set, reported as such. */
  readonly budgetMs: number;
}

export interface Loaded {
  readonly loaded: number;
  readonly ms: number;
  /** Some of the created ids (all of them when fewer than ID_SAMPLE). */
  readonly sampleIds: readonly string[];
  readonly stoppedByBudget: boolean;
}

/** Loads Observations through the API in transaction Bundles, `concurrency` Bundles in flight. */
export async function loadObservations(fhirBase: string, patientIds: readonly string[], plan: LoadPlan): Promise<Loaded> {
  const started = performance.now();
  let queued = 0;
  let loaded = 0;
  let stoppedByBudget = false;
  const sampleIds: string[] = [];
  let lastReport = started;
  const worker = async (): Promise<void> => {
    while (queued < plan.count) {
      if (performance.now() - started > plan.budgetMs) {
        stoppedByBudget = true;
        return;
      }
      const n = Math.min(plan.bundleSize, MAX_BUNDLE, plan.count - queued);
      queued += n;
      const ids = await postTransaction(fhirBase, transactionBundle(Array.from({ length: n }, () => randomObservation(patientIds))));
      loaded += ids.length;
      for (const id of ids) {
        if (sampleIds.length < ID_SAMPLE) sampleIds.push(id);
        else if (Math.random() < ID_SAMPLE / loaded) sampleIds[Math.floor(Math.random() * ID_SAMPLE)] = id;
      }
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        process.stdout.write(`    … ${loaded.toLocaleString('en-US')} Observations in ${Math.round((lastReport - started) / 1000)} s\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, () => worker()));
  return { loaded, ms: performance.now() - started, sampleIds, stoppedByBudget };
}
