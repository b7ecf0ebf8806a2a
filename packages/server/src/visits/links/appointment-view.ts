import type { TVisitMode } from '@careline/contracts';
import { ORGANIZATION_TAG_SYSTEM, type FhirResource } from '../../fhir/index.js';

/**
 * What the visit room needs of a FHIR Appointment (https://hl7.org/fhir/R4/appointment.html), read
 * tolerantly: the scheduling folder writes it (scheduling/appointment-resource.ts). Host = the first
 * Practitioner among the participants' actors; patient = the first Patient; visit type = serviceType
 * text (appointmentType only codes routine/follow-up). The mode comes from scheduling's extension
 * (valueCode video | audio | in-person), else 'video'.
 */
const VISIT_MODE_EXTENSIONS = ['urn:careline:extension:visit-mode', 'https://careline.health/fhir/StructureDefinition/visit-mode'];

export interface AppointmentView {
  readonly id: string;
  readonly status: string;
  readonly start: Date;
  readonly end: Date;
  readonly patient: string | undefined;
  readonly host: string | undefined;
  readonly practitioners: readonly string[];
  readonly organizationId: string | undefined;
  readonly visitType: string;
  readonly mode: TVisitMode;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function conceptText(v: unknown): string | undefined {
  const c = obj(v);
  if (!c) return undefined;
  return str(c.text) ?? arr(c.coding).map((x) => str(obj(x)?.display) ?? str(obj(x)?.code)).find((x) => x !== undefined);
}

function modeOf(r: FhirResource): TVisitMode {
  for (const e of arr(r.extension)) {
    const ext = obj(e);
    const code = str(ext?.valueCode);
    if (typeof ext?.url === 'string' && VISIT_MODE_EXTENSIONS.includes(ext.url) && (code === 'video' || code === 'audio' || code === 'in-person')) return code;
  }
  return 'video';
}

/** Undefined when the resource lacks the start and end a visit needs. */
export function appointmentView(r: FhirResource): AppointmentView | undefined {
  const start = str(r.start);
  const end = str(r.end);
  if (r.resourceType !== 'Appointment' || !r.id || !start || !end) return undefined;
  const actors = arr(r.participant).map((p) => str(obj(obj(p)?.actor)?.reference)).filter((x): x is string => x !== undefined);
  const practitioners = actors.filter((a) => a.startsWith('Practitioner/'));
  const tag = arr(r.meta?.tag).map(obj).find((t) => t?.system === ORGANIZATION_TAG_SYSTEM);
  return {
    id: r.id,
    status: str(r.status) ?? 'booked',
    start: new Date(start),
    end: new Date(end),
    patient: actors.find((a) => a.startsWith('Patient/')),
    host: practitioners[0],
    practitioners,
    organizationId: str(tag?.code),
    visitType: arr(r.serviceType).map(conceptText).find((x) => x !== undefined) ?? conceptText(r.appointmentType) ?? 'Visit',
    mode: modeOf(r),
  };
}

/** A person's display name from a FHIR Patient/Practitioner (HumanName text, or given + family). */
export function humanName(r: FhirResource | undefined): string | undefined {
  if (!r) return undefined;
  for (const n of arr(r.name)) {
    const name = obj(n);
    const text = str(name?.text);
    if (text) return text.slice(0, 120);
    const parts = [...arr(name?.prefix), ...arr(name?.given), name?.family].map(str).filter((x): x is string => x !== undefined);
    if (parts.length > 0) return parts.join(' ').slice(0, 120);
  }
  return undefined;
}
