/**
 * Narrowing helpers for JSON of unknown shape: definition files and client resources alike arrive as
 * `unknown`, and every reader here must tolerate anything without throwing.
 */
export interface JsonObject {
  readonly [key: string]: unknown;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a non-empty string, else null. */
export function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The value when it is an array, else an empty one (FHIR JSON repeats are always arrays). */
export function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as readonly unknown[]) : [];
}

/** Every element of an array that is an object, skipping anything else. */
export function objectsOf(value: unknown): JsonObject[] {
  return arrayOf(value).filter(isJsonObject);
}

/** The non-empty strings of an array, skipping anything else. */
export function stringsOf(value: unknown): string[] {
  return arrayOf(value).filter((v): v is string => typeof v === 'string' && v.length > 0);
}
