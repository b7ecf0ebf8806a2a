import fastJsonPatch from 'fast-json-patch';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { FhirResource } from './resource-types.js';

const { applyPatch, JsonPatchError } = fastJsonPatch;
type Operation = fastJsonPatch.Operation;

/** Applies an RFC 6902 patch to a copy; a malformed patch or a failed `test` → 400 naming the operation. */
export function applyJsonPatch(resource: FhirResource, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw new CarelineError('bad-request', [{ diagnostics: 'A JSON Patch is an array of operations (RFC 6902).', expression: ['body'] }]);
  }
  try {
    return applyPatch(structuredClone(resource), operations as Operation[], true, false).newDocument;
  } catch (err) {
    const index = err instanceof JsonPatchError ? err.index : undefined;
    const message = err instanceof JsonPatchError ? err.message.split('\n')[0] : 'the patch could not be applied';
    throw new CarelineError('bad-request', [
      { diagnostics: `JSON Patch operation ${index ?? '?'} failed: ${message ?? ''}`, expression: [index === undefined ? 'body' : `body[${index}]`] },
    ]);
  }
}
