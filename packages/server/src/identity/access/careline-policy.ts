import { matchesScope, ORGANIZATION_TAG_SYSTEM, type AccessPolicy, type ResourceFacts, type ScopeRule, type SearchScope } from '../../fhir/access/access-policy.js';
import { actorRef, type Principal } from '../principal.js';
import type { AccessFacts } from './access-facts.js';
import { PATIENT_AUTHORED_TYPES, SERVER_ONLY_TYPES } from './resource-classes.js';
import { adminGrant, caregiverGrant, clientGrant, clinicalGrant, deviceGrant, frontDeskGrant, patientGrant, telepresenterGrant, type Grant } from './role-grants.js';
import { withAuthor } from './self-authored.js';
import { parseSmartScopes } from './smart-scopes.js';

type Json = Readonly<Record<string, unknown>>;
interface Coding {
  readonly system?: unknown;
  readonly code?: unknown;
}

/** The grants a principal holds: one per membership (role in a clinic), or the client's scopes. */
export function grantsOf(principal: Principal, facts: AccessFacts): Grant[] {
  if (principal.kind === 'client') return [clientGrant(parseSmartScopes(principal.scopes), principal.organizationId)];
  if (principal.kind === 'device') return [deviceGrant(principal.device, principal.patient, principal.organizationId)];
  const self = principal.fhirUser;
  const orgsWith = (role: string): string[] => principal.memberships.filter((m) => m.role === role).map((m) => m.organizationId);
  const grants: Grant[] = [];
  if (self?.startsWith('Patient/') && orgsWith('patient').length > 0) grants.push(patientGrant(self, orgsWith('patient'), facts));
  const caregiverSelf = self ?? `User/${principal.accountId}`;
  if (orgsWith('caregiver').length > 0) grants.push(caregiverGrant(caregiverSelf, orgsWith('caregiver'), facts));
  const practitioner = self?.startsWith('Practitioner/') ? self : null;
  for (const m of principal.memberships) {
    switch (m.role) {
      case 'clinician':
      case 'nurse':
      case 'specialist':
        grants.push(clinicalGrant(m.role, m.organizationId, practitioner, facts));
        break;
      case 'telepresenter':
        grants.push(telepresenterGrant(m.organizationId, practitioner, facts));
        break;
      case 'front-desk':
        grants.push(frontDeskGrant(m.organizationId, practitioner));
        break;
      case 'admin':
        grants.push(adminGrant(m.organizationId, practitioner));
        break;
      case 'patient':
      case 'caregiver':
        break;
    }
  }
  return grants;
}

function orgTags(resource: Json | undefined): Coding[] {
  const tags = (resource?.meta as { tag?: unknown } | undefined)?.tag;
  return Array.isArray(tags) ? (tags as Coding[]).filter((t) => t.system === ORGANIZATION_TAG_SYSTEM) : [];
}

/**
 * The one access policy (default deny): what a principal may read, search and write, from the
 * grants of their roles, evaluated in memory for single resources and in SQL (via searchScope) for
 * searches. Rule table: ./README.md.
 */
export class CarelinePolicy implements AccessPolicy {
  readonly name: string;
  private readonly grants: readonly Grant[];
  private readonly rules: readonly ScopeRule[];
  private readonly byType = new Map<string, SearchScope>();

  constructor(
    private readonly principal: Principal,
    facts: AccessFacts,
  ) {
    this.name = `careline:${actorRef(principal)}`;
    this.grants = grantsOf(principal, facts);
    this.rules = this.grants.flatMap((g) => g.read);
  }

  searchScope(resourceType: string): SearchScope {
    const cached = this.byType.get(resourceType);
    if (cached) return cached;
    // For one type, rules about other types drop out and the type condition is implied.
    const rules =
      resourceType === '*'
        ? this.rules
        : this.rules.filter((r) => !r.types || r.types.includes(resourceType)).map(({ types: _types, ...rest }) => rest);
    const scope: SearchScope = rules.length === 0 ? { kind: 'none' } : rules.some((r) => Object.keys(r).length === 0) ? { kind: 'all' } : { kind: 'rules', rules };
    this.byType.set(resourceType, scope);
    return scope;
  }

  canRead(facts: ResourceFacts): boolean {
    return matchesScope(this.searchScope(facts.resourceType), facts);
  }

  canCreate(facts: ResourceFacts): boolean {
    return !SERVER_ONLY_TYPES.includes(facts.resourceType) && this.grants.some((g) => g.create(facts));
  }

  canUpdate(before: ResourceFacts, after: ResourceFacts): boolean {
    return !SERVER_ONLY_TYPES.includes(after.resourceType) && before.resourceType === after.resourceType && !isSignedNote(before) && this.grants.some((g) => g.update(before, after));
  }

  canDelete(facts: ResourceFacts): boolean {
    return !SERVER_ONLY_TYPES.includes(facts.resourceType) && !isSignedNote(facts) && this.grants.some((g) => g.delete(facts));
  }

  /**
   * Server-owned fields, whatever the client sent: meta.security and the organisation tag are the
   * stored ones on update (clients cannot relabel data or move it between clinics) and the writer's
   * clinic on create; self-authored data gets its author from the caller.
   */
  prepareWrite(resource: Json, before: Json | undefined): Record<string, unknown> {
    const best = this.bestGrant(resource);
    const meta = { ...((resource.meta as Json | undefined) ?? {}) };
    const clientTags = Array.isArray(meta.tag) ? (meta.tag as Coding[]) : [];
    const otherTags = clientTags.filter((t) => t.system !== ORGANIZATION_TAG_SYSTEM);
    delete meta.security;
    let owners = orgTags(before);
    if (owners.length === 0 && !before && this.trustsClientOrganization()) owners = orgTags(resource);
    if (owners.length === 0) owners = (best?.fit(resource).organizations ?? []).map((code) => ({ system: ORGANIZATION_TAG_SYSTEM, code }));
    const tags = [...otherTags, ...owners];
    if (tags.length > 0) meta.tag = tags;
    else delete meta.tag;
    const security = (before?.meta as Json | undefined)?.security;
    if (Array.isArray(security)) meta.security = security;
    let out: Record<string, unknown> = { ...resource };
    if (Object.keys(meta).length > 0) out.meta = meta;
    else delete out.meta;
    if (best?.author && PATIENT_AUTHORED_TYPES.includes(String(resource.resourceType))) out = withAuthor(out, best.author.self, best.author.defaultSubject);
    if (best?.stamp) out = best.stamp(out);
    return out;
  }

  /** A system client bound to no clinic is trusted to say which clinic its data belongs to. */
  private trustsClientOrganization(): boolean {
    return this.principal.kind === 'client' && this.principal.organizationId === null;
  }

  private bestGrant(resource: Json): Grant | undefined {
    let best: Grant | undefined;
    let bestScore = 0;
    for (const g of this.grants) {
      const { score } = g.fit(resource);
      if (score > bestScore) {
        best = g;
        bestScore = score;
      }
    }
    return best ?? this.grants[0];
  }
}

/**
 * A signed clinical note (a final Composition) is never changed or deleted by anyone: corrections are
 * appended as new Compositions that `relatesTo` it (visits/record). This holds on every path, the FHIR
 * REST API included, not only in the record's own routes.
 */
function isSignedNote(f: ResourceFacts): boolean {
  return f.resourceType === 'Composition' && f.resource?.status === 'final';
}
