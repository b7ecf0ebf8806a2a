import { isR4ResourceType } from '../../fhir/definitions/search-parameters.js';

/**
 * System clients' scopes (SMART App Launch: v1 `system/Observation.read|write|*`,
 * https://hl7.org/fhir/smart-app-launch/1.0.0/scopes-and-launch-context/ ; v2 `system/Observation.cruds`
 * with the letters in that order, https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).
 * Only `system/` scopes mean anything for a client; anything else is ignored (never widened).
 */
export interface ScopePermission {
  /** A resource type, or '*' for every type. */
  readonly type: string;
  readonly create: boolean;
  readonly read: boolean;
  readonly update: boolean;
  readonly delete: boolean;
  readonly search: boolean;
}

export type Interaction = 'create' | 'read' | 'update' | 'delete' | 'search';

const SCOPE = /^system\/(\*|[A-Z][A-Za-z]{1,63})\.(read|write|\*|c?r?u?d?s?)$/;

/** Parses one scope string; undefined when it is not a well-formed system scope for an R4 type. */
export function parseSmartScope(scope: string): ScopePermission | undefined {
  const m = SCOPE.exec(scope);
  if (!m) return undefined;
  const type = m[1] ?? '';
  const perms = m[2] ?? '';
  if (type !== '*' && !isR4ResourceType(type)) return undefined;
  if (perms === '') return undefined;
  if (perms === '*') return { type, create: true, read: true, update: true, delete: true, search: true };
  if (perms === 'read') return { type, create: false, read: true, update: false, delete: false, search: true };
  if (perms === 'write') return { type, create: true, read: false, update: true, delete: true, search: false };
  return { type, create: perms.includes('c'), read: perms.includes('r'), update: perms.includes('u'), delete: perms.includes('d'), search: perms.includes('s') };
}

/** Parses a list of scopes, dropping the ones that are not well-formed system scopes. */
export function parseSmartScopes(scopes: readonly string[]): ScopePermission[] {
  return scopes.map(parseSmartScope).filter((s): s is ScopePermission => s !== undefined);
}

/** Whether the scopes permit an interaction on a resource type. */
export function permits(scopes: readonly ScopePermission[], type: string, interaction: Interaction): boolean {
  return scopes.some((s) => (s.type === '*' || s.type === type) && s[interaction]);
}

/** The v2 form of a permission ('system/Observation.rs'), for logs and round-trips. */
export function formatSmartScope(p: ScopePermission): string {
  const letters = `${p.create ? 'c' : ''}${p.read ? 'r' : ''}${p.update ? 'u' : ''}${p.delete ? 'd' : ''}${p.search ? 's' : ''}`;
  return `system/${p.type}.${letters}`;
}
