import { randomUUID } from 'node:crypto';
import type { DataAccessEvent, DataInteraction, SecurityEvent, SecurityEventType } from './audit-log.js';

/**
 * Builds FHIR R4 AuditEvents with the IHE Basic Audit Log Patterns (BALP) vocabulary
 * (https://profiles.ihe.net/ITI/BALP/). Only references and codes: no names, no clinical values,
 * no query strings (a search's parameters may hold a name or a birth date).
 */

/** One audit_event row before sealing: the plain report columns and the AuditEvent JSON. */
export interface AuditRecord {
  readonly id: string;
  readonly recorded: Date;
  readonly action: AuditAction;
  readonly kind: string;
  readonly outcome: AuditOutcome;
  readonly agent: string | null;
  readonly patients: readonly string[];
  readonly organization: string | null;
  readonly content: string;
}

export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';
/** AuditEvent.outcome (http://hl7.org/fhir/audit-event-outcome): 0 success, 4 minor, 8 serious, 12 major failure. */
export type AuditOutcome = 0 | 4 | 8 | 12;

const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const BALP_ENTITY = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const AGENT_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
/** Careline's own subtype codes for security events that neither DICOM nor BALP name. */
export const CARELINE_SECURITY_SUBTYPE = 'https://careline.health/fhir/CodeSystem/security-event';

interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

const ACTION: Record<DataInteraction, AuditAction> = {
  read: 'R',
  vread: 'R',
  'search-type': 'E',
  'history-instance': 'R',
  'history-type': 'R',
  'history-system': 'R',
  create: 'C',
  update: 'U',
  patch: 'U',
  delete: 'D',
  everything: 'E',
  export: 'R',
  download: 'R',
};

/** The BALP event type and subtype of a data interaction. */
function dataCodes(interaction: DataInteraction): { type: Coding; subtype: Coding[] } {
  if (interaction === 'everything') {
    // BALP "Patient Record" pattern for $everything: DCM 110110 with the operation as subtype.
    return { type: { system: DCM, code: '110110', display: 'Patient Record' }, subtype: [{ system: RESTFUL, code: 'operation', display: 'operation' }] };
  }
  if (interaction === 'export') return { type: { system: DCM, code: '110106', display: 'Export' }, subtype: [] };
  if (interaction === 'download') return { type: { system: EVENT_TYPE, code: 'rest', display: 'Restful Operation' }, subtype: [{ system: RESTFUL, code: 'read', display: 'read' }] };
  return { type: { system: EVENT_TYPE, code: 'rest', display: 'Restful Operation' }, subtype: [{ system: RESTFUL, code: interaction, display: interaction }] };
}

const SECURITY: Record<SecurityEventType, { type: Coding; subtype: Coding; action: AuditAction }> = {
  login: { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: { system: DCM, code: '110122', display: 'Login' }, action: 'E' },
  logout: { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: { system: DCM, code: '110123', display: 'Logout' }, action: 'E' },
  'mfa-change': alert('mfa-change', 'U'),
  'password-change': alert('password-change', 'U'),
  'password-reset': alert('password-reset', 'U'),
  'email-verification': alert('email-verification', 'U'),
  'role-change': { type: { system: DCM, code: '110113', display: 'Security Alert' }, subtype: { system: DCM, code: '110136', display: 'Security Roles Changed' }, action: 'U' },
  'account-change': alert('account-change', 'U'),
  invitation: alert('invitation', 'C'),
  'client-change': alert('client-change', 'U'),
  'break-the-glass': { type: { system: DCM, code: '110113', display: 'Security Alert' }, subtype: { system: DCM, code: '110129', display: 'Emergency Override Started' }, action: 'E' },
  'policy-change': { type: { system: DCM, code: '110113', display: 'Security Alert' }, subtype: { system: DCM, code: '110137', display: 'User security Attributes Changed' }, action: 'U' },
  'audit-export': { type: { system: DCM, code: '110106', display: 'Export' }, subtype: { system: CARELINE_SECURITY_SUBTYPE, code: 'audit-export', display: 'Audit log export' }, action: 'R' },
};

function alert(code: string, action: AuditAction): { type: Coding; subtype: Coding; action: AuditAction } {
  return { type: { system: DCM, code: '110113', display: 'Security Alert' }, subtype: { system: CARELINE_SECURITY_SUBTYPE, code }, action };
}

function agentOf(who: string | null, sourceIp: string | undefined, role: string | undefined): Record<string, unknown> {
  const identity = who === null ? { display: 'unknown' } : who.includes('/') ? { reference: who } : { identifier: { system: 'urn:careline:agent', value: who } };
  return {
    type: { coding: [{ system: AGENT_TYPE, code: 'IRCP', display: 'information recipient' }] },
    who: identity,
    ...(role ? { role: [{ text: role }] } : {}),
    requestor: true,
    ...(sourceIp ? { network: { address: sourceIp, type: '2' } } : {}),
  };
}

function patientEntities(patients: readonly string[]): Record<string, unknown>[] {
  return patients.map((p) => ({
    what: { reference: p },
    type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
    role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
  }));
}

function requestEntity(requestId: string | undefined): Record<string, unknown>[] {
  return requestId ? [{ what: { identifier: { value: requestId } }, type: { system: BALP_ENTITY, code: 'XrequestId', display: 'X-Request-Id' } }] : [];
}

function build(parts: {
  id: string;
  recorded: Date;
  type: Coding;
  subtype: readonly Coding[];
  action: AuditAction;
  outcome: AuditOutcome;
  detail: string | undefined;
  agent: string | null;
  sourceIp: string | undefined;
  role?: string | undefined;
  entities: readonly Record<string, unknown>[];
}): string {
  return JSON.stringify({
    resourceType: 'AuditEvent',
    id: parts.id,
    type: parts.type,
    ...(parts.subtype.length > 0 ? { subtype: parts.subtype } : {}),
    action: parts.action,
    recorded: parts.recorded.toISOString(),
    outcome: String(parts.outcome),
    ...(parts.detail ? { outcomeDesc: parts.detail } : {}),
    agent: [agentOf(parts.agent, parts.sourceIp, parts.role)],
    source: { observer: { display: 'careline' }, type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }] },
    ...(parts.entities.length > 0 ? { entity: parts.entities } : {}),
  });
}

const PATIENT_REF = /^Patient\/[A-Za-z0-9\-.]{1,64}$/;

/** Only 'Patient/<id>' references, each once. */
export function patientRefs(refs: readonly string[]): string[] {
  return [...new Set(refs.filter((r) => PATIENT_REF.test(r)))];
}

export function dataAccessRecord(event: DataAccessEvent, recorded: Date = new Date()): AuditRecord {
  const id = randomUUID();
  const { type, subtype } = dataCodes(event.interaction);
  const action = ACTION[event.interaction];
  const outcome: AuditOutcome = event.outcome === 'success' ? 0 : 4;
  const patients = patientRefs(event.patients);
  const entities: Record<string, unknown>[] = [...patientEntities(patients)];
  if (event.entity !== undefined) {
    // A searched type is named, not referenced (entity.what would be a Reference to a resource).
    entities.push(
      event.entity.includes('/')
        ? { what: { reference: event.entity }, type: { system: ENTITY_TYPE, code: '2', display: 'System Object' }, role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' } }
        : { name: event.entity, type: { system: ENTITY_TYPE, code: '2', display: 'System Object' }, role: { system: OBJECT_ROLE, code: '24', display: 'Query' } },
    );
  }
  entities.push(...requestEntity(event.who.requestId));
  const content = build({ id, recorded, type, subtype, action, outcome, detail: event.detail, agent: event.who.agent, sourceIp: event.who.sourceIp, role: event.who.role, entities });
  return { id, recorded, action, kind: event.interaction, outcome, agent: event.who.agent, patients, organization: event.who.organizationId ?? null, content };
}

export function securityRecord(event: SecurityEvent, recorded: Date = new Date()): AuditRecord {
  const id = randomUUID();
  const codes = SECURITY[event.type];
  const outcome: AuditOutcome = event.outcome === 'success' ? 0 : 4;
  const patients = patientRefs(event.patients ?? []);
  const entities: Record<string, unknown>[] = [...patientEntities(patients)];
  if (event.target) entities.push({ what: { reference: event.target }, type: { system: ENTITY_TYPE, code: '2', display: 'System Object' }, role: { system: OBJECT_ROLE, code: '11', display: 'Security User Entity' } });
  entities.push(...requestEntity(event.requestId));
  const content = build({ id, recorded, type: codes.type, subtype: [codes.subtype], action: codes.action, outcome, detail: event.detail, agent: event.actor, sourceIp: event.sourceIp, entities });
  return { id, recorded, action: codes.action, kind: event.type, outcome, agent: event.actor, patients, organization: event.organizationId ?? null, content };
}

