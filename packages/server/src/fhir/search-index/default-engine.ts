import { fhirpathJsEngine } from './fhirpath-js-engine.js';
import type { FhirPathEngine } from './fhirpath-engine.js';
import { simplePathEngine, withFallback } from './simple-path-engine.js';

/**
 * The engine extraction uses: the direct path evaluator for the ~98% of R4 search expressions that
 * are plain paths, fhirpath.js for the rest (e.g. Patient-deceased). One shared instance, so each
 * resource type's compiled plan is built once.
 */
export const defaultEngine: FhirPathEngine = withFallback(simplePathEngine, fhirpathJsEngine);
