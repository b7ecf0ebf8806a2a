import { r4ResourceTypes } from '../definitions/search-parameters.js';
import { indexedSearchParameters } from '../search-index/indexed-search-parameters.js';

let cached: { base: string; body: unknown } | undefined;

/**
 * CapabilityStatement (https://hl7.org/fhir/R4/capabilitystatement.html) listing only what works:
 * the search parameters the index holds (composite and special ones are left out) and their
 * supported modifiers.
 */
export function capabilityStatement(base: string, version: string): unknown {
  if (cached?.base === base) return cached.body;
  const interactions = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'].map((code) => ({ code }));
  const body = {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-23',
    kind: 'instance',
    software: { name: 'Careline', version },
    implementation: { description: 'Careline FHIR R4 server', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        resource: r4ResourceTypes().map((type) => ({
          type,
          interaction: interactions,
          versioning: 'versioned-update',
          readHistory: true,
          updateCreate: true,
          conditionalCreate: true,
          conditionalUpdate: true,
          conditionalDelete: 'single',
          searchInclude: [`${type}:*`],
          searchParam: [
            { name: '_id', type: 'token', documentation: 'Resource id' },
            { name: '_lastUpdated', type: 'date', documentation: 'When the resource last changed' },
            ...indexedSearchParameters(type)
              .filter((p) => p.code !== '_id' && p.code !== '_lastUpdated')
              .map((p) => ({ name: p.code, definition: p.url, type: p.type, ...(p.modifiers.length > 0 ? { documentation: `Modifiers: ${p.modifiers.join(', ')}` } : {}) })),
          ],
          ...(type === 'Patient' ? { operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] } : {}),
        })),
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
      },
    ],
  };
  cached = { base, body };
  return body;
}
