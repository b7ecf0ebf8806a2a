import { isR4ResourceType } from './resource-types.js';

/**
 * Reference.reference forms (https://hl7.org/fhir/R4/references.html#literal): a relative URL
 * `Type/id` (optionally `/_history/vid`), an absolute URL, a fragment `#id` to a contained resource,
 * or a urn:uuid:/urn:oid: used inside transaction Bundles before ids are assigned.
 */
export type ReferenceForm = 'relative' | 'absolute' | 'contained' | 'urn';

export interface ParsedReference {
  readonly form: ReferenceForm;
  /** `Type/id` for a relative reference (version dropped); the text as given otherwise. */
  readonly ref: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
}

// https://hl7.org/fhir/R4/datatypes.html#id
const ID = '[A-Za-z0-9\\-.]{1,64}';
const RELATIVE = new RegExp(`^([A-Z][A-Za-z]+)/(${ID})(?:/_history/${ID})?$`);
const ABSOLUTE_TAIL = new RegExp(`/([A-Z][A-Za-z]+)/(${ID})(?:/_history/${ID})?$`);
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/;
const URN = /^urn:(?:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|oid:[0-2](?:\.(?:0|[1-9][0-9]*))+)$/;
const FRAGMENT = new RegExp(`^#${ID}$`);

/**
 * Parses a reference; null when it has none of the forms above (or names an unknown type).
 * With `serverBase`, absolute URLs on this server are read as relative ones, since they name the
 * same resource (https://hl7.org/fhir/R4/references.html#literal, "Literal references").
 */
export function parseReference(reference: string, serverBase?: string): ParsedReference | null {
  let text = reference;
  if (serverBase && text.startsWith(serverBase + '/')) text = text.slice(serverBase.length + 1);
  const relative = RELATIVE.exec(text);
  if (relative) {
    const [, type = '', id = ''] = relative;
    return isR4ResourceType(type) ? { form: 'relative', ref: `${type}/${id}`, targetType: type, targetId: id } : null;
  }
  if (FRAGMENT.test(text)) return { form: 'contained', ref: text, targetType: null, targetId: null };
  if (URN.test(text)) return { form: 'urn', ref: text, targetType: null, targetId: null };
  if (ABSOLUTE.test(text)) {
    const tail = ABSOLUTE_TAIL.exec(text);
    const type = tail?.[1] ?? null;
    const known = type !== null && isR4ResourceType(type);
    return { form: 'absolute', ref: text, targetType: known ? type : null, targetId: known ? (tail?.[2] ?? null) : null };
  }
  return null;
}

/** The resource type a reference points at, from its text or, failing that, Reference.type. */
export function referenceTargetType(reference: unknown, declaredType: unknown): string | null {
  const parsed = typeof reference === 'string' ? parseReference(reference) : null;
  if (parsed?.targetType) return parsed.targetType;
  return typeof declaredType === 'string' && isR4ResourceType(declaredType) ? declaredType : null;
}
