import { OBSERVATION_CATEGORY_SYSTEM } from './resource-classes.js';

/**
 * The author fields of what patients (and caregivers acting for them) write. The server sets them
 * (prepareWrite), whatever the client sent; the policy checks them on update, so a patient can only
 * change what they wrote themselves.
 */
type Json = Readonly<Record<string, unknown>>;

function ref(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = (value as { reference?: unknown }).reference;
  return typeof r === 'string' ? r : undefined;
}

function refs(value: unknown): string[] {
  return Array.isArray(value) ? value.map(ref).filter((r): r is string => r !== undefined) : [];
}

/** The subject ('Patient/<id>') of a patient-authored resource: every such type has `subject`. */
export function subjectOf(resource: Json): string | undefined {
  return ref(resource.subject);
}

/** Who authored it, by the type's author element(s). */
export function authorsOf(resource: Json): string[] {
  switch (resource.resourceType) {
    case 'Observation':
      return refs(resource.performer);
    case 'Communication':
      return [ref(resource.sender)].filter((r): r is string => r !== undefined);
    case 'QuestionnaireResponse':
      return [ref(resource.author)].filter((r): r is string => r !== undefined);
    case 'DocumentReference':
      return refs(resource.author);
    case 'Media':
      return [ref(resource.operator)].filter((r): r is string => r !== undefined);
    default:
      return [];
  }
}

/** Whether `author` (and only they) authored the resource. */
export function authoredBy(resource: Json | undefined, author: string): boolean {
  if (!resource) return false;
  const a = authorsOf(resource);
  return a.length > 0 && a.every((x) => x === author);
}

/** Sets the author element(s) to `author` and, when absent, the subject to `subject`. */
export function withAuthor(resource: Json, author: string, subject: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...resource };
  const r = { reference: author };
  switch (resource.resourceType) {
    case 'Observation':
      out.performer = [r];
      break;
    case 'Communication':
      out.sender = r;
      break;
    case 'QuestionnaireResponse':
      out.author = r;
      out.source = r;
      break;
    case 'DocumentReference':
      out.author = [r];
      break;
    case 'Media':
      out.operator = r;
      break;
    default:
      return out;
  }
  if (out.subject === undefined && subject !== undefined) out.subject = { reference: subject };
  return out;
}

/** Observation.category codes in the standard observation-category system. */
export function observationCategories(resource: Json): string[] {
  const cats = Array.isArray(resource.category) ? (resource.category as unknown[]) : [];
  const out: string[] = [];
  for (const c of cats) {
    const codings = (c as { coding?: unknown } | null)?.coding;
    if (!Array.isArray(codings)) continue;
    for (const coding of codings as { system?: unknown; code?: unknown }[]) {
      if (coding.system === OBSERVATION_CATEGORY_SYSTEM && typeof coding.code === 'string') out.push(coding.code);
    }
  }
  return out;
}
