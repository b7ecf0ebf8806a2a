import { readR4DefinitionFile } from '../../packages/server/src/fhir/definitions/read-definition-file.js';
import type { FhirPathEngine } from '../../packages/server/src/fhir/search-index/fhirpath-engine.js';
import { fhirTypeCode } from '../../packages/server/src/fhir/search-index/fhirpath-engine.js';

export interface MedplumForBench {
  readonly engine: FhirPathEngine;
  /** @medplum/core's validateResource: returns warnings, throws on the first error. */
  readonly validate: (resource: object) => 'ok' | 'invalid';
}

/**
 * @medplum/core 5.x declares Node >= 22.18 and reads the global WebSocket when its module loads;
 * Node 20 has none, so the import fails. For this comparison only, a stand-in with the four
 * readyState constants is installed first (the library reads nothing else at load time).
 */
export async function loadMedplum(): Promise<MedplumForBench> {
  const g = globalThis as Record<string, unknown>;
  g.WebSocket ??= class {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
  };
  const core = await import('@medplum/core');
  // Without the StructureDefinitions Medplum types References as BackboneElement.
  type Bundle = Parameters<typeof core.indexStructureDefinitionBundle>[0];
  core.indexStructureDefinitionBundle(readR4DefinitionFile('profiles-types.json') as Bundle);
  core.indexStructureDefinitionBundle(readR4DefinitionFile('profiles-resources.json') as Bundle);
  const engine: FhirPathEngine = {
    name: '@medplum/core',
    compile(expression) {
      const atom = core.parseFhirPath(expression);
      return (resource) => core.evalFhirPathTyped(atom, [core.toTypedValue(resource)]).map((tv) => ({ type: fhirTypeCode(tv.type), value: tv.value as unknown }));
    },
  };
  type Resource = Parameters<typeof core.validateResource>[0];
  const validate = (resource: object): 'ok' | 'invalid' => {
    try {
      core.validateResource(resource as Resource);
      return 'ok';
    } catch {
      return 'invalid';
    }
  };
  return { engine, validate };
}
