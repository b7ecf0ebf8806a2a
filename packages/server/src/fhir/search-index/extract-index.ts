import { isJsonObject } from '../definitions/json-value.js';
import { isR4ResourceType, r4ResourceTypes } from '../definitions/resource-types.js';
import { addRows } from './add-rows.js';
import { extractionPlan } from './extraction-plan.js';
import type { FhirPathEngine } from './fhirpath-engine.js';
import { defaultEngine } from './default-engine.js';
import type { ExtractedIndex } from './index-row.js';
import { patientCompartmentsOf } from './patient-compartments.js';
import { RowSink } from './row-sink.js';

export type { DateRow, ExtractedIndex, IndexRow, NumberRow, QuantityRow, ReferenceRow, StringRow, TokenRow, UriRow } from './index-row.js';

export interface ExtractOptions {
  /** This server's FHIR base URL: absolute references under it are indexed as `Type/id`. */
  readonly serverBase?: string;
}

export type IndexExtractor = (resource: unknown, options?: ExtractOptions) => ExtractedIndex;

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * Builds an extractor over a FHIRPath engine. Each parameter's expression is compiled once per
 * resource type; composite and special parameters are skipped (see skippedSearchParameters).
 * Never throws: an expression that fails on a strange resource gives no rows.
 */
export function createIndexExtractor(engine: FhirPathEngine): IndexExtractor {
  return (resource, options = {}) => {
    if (!isJsonObject(resource) || typeof resource.resourceType !== 'string' || !isR4ResourceType(resource.resourceType)) {
      return { rows: [], compartments: [] };
    }
    const resourceType = resource.resourceType;
    const serverBase = options.serverBase?.replace(/\/+$/, '');
    const sink = new RowSink();
    for (const branch of extractionPlan(engine, resourceType).branches) {
      if (branch.keys !== null && !hasAny(resource, branch.keys)) continue;
      let nodes;
      try {
        nodes = branch.evaluate(resource);
      } catch {
        continue;
      }
      for (const node of nodes) addRows(sink, branch.type, branch.param, node, serverBase);
    }
    const id = typeof resource.id === 'string' && ID.test(resource.id) ? resource.id : null;
    return { rows: sink.rows, compartments: patientCompartmentsOf(resourceType, id, sink.rows) };
  };
}

/** The search-index rows and Patient compartments of a resource (see default-engine.ts). */
export const extractIndex: IndexExtractor = createIndexExtractor(defaultEngine);

/** Loads the definitions and compiles every type's plan now (under a second) rather than on first writes. */
export function warmUpIndexExtraction(): void {
  for (const type of r4ResourceTypes()) extractionPlan(defaultEngine, type);
}

function hasAny(resource: Readonly<Record<string, unknown>>, keys: readonly string[]): boolean {
  for (const key of keys) if (resource[key] !== undefined) return true;
  return false;
}
