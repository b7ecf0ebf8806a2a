import { SOAP_SECTIONS, type TAmendment, type TSoap, type TSoapSection } from '@careline/contracts';
import type { FhirResource } from '../../fhir/index.js';
import { displayOf, refOf } from './fhir-query.js';

export const LOINC = 'http://loinc.org';
/** The main note of a visit is found by this identifier (value: the Encounter id): one note per visit. */
export const NOTE_ID_SYSTEM = 'urn:careline:visit-note';
/** Amendments are separate Compositions (relatesTo appends the signed note), each with its own id. */
export const AMENDMENT_ID_SYSTEM = 'urn:careline:visit-note-amendment';

/** LOINC 11506-3 "Progress note"; SOAP section codes as used by C-CDA progress notes. */
export const NOTE_TYPE = { coding: [{ system: LOINC, code: '11506-3', display: 'Progress note' }], text: 'Progress note' };
export const SECTION_CODES: Readonly<Record<TSoapSection, { code: string; display: string; title: string }>> = {
  subjective: { code: '61150-9', display: 'Subjective', title: 'Subjective' },
  objective: { code: '61149-1', display: 'Objective', title: 'Objective' },
  assessment: { code: '51848-0', display: 'Assessment note', title: 'Assessment' },
  plan: { code: '18776-5', display: 'Plan of care note', title: 'Plan' },
};

const XHTML_OPEN = '<div xmlns="http://www.w3.org/1999/xhtml">';
const XHTML_CLOSE = '</div>';

/** Text → the body of a Narrative div. Reversible (textOfDiv), so the note reads back exactly as typed. */
export function divOfText(text: string): string {
  return `${XHTML_OPEN}${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}${XHTML_CLOSE}`;
}

/** The text of a div written by divOfText (other narratives: tags dropped, the five XML entities decoded). */
export function textOfDiv(div: string): string {
  const inner = div.startsWith(XHTML_OPEN) && div.endsWith(XHTML_CLOSE) ? div.slice(XHTML_OPEN.length, -XHTML_CLOSE.length) : div.replace(/<[^>]*>/g, '');
  return inner.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
}

interface Section {
  code?: { coding?: { code?: string }[] };
  text?: { div?: string };
}
const sectionsOf = (c: FhirResource): Section[] => (Array.isArray(c.section) ? (c.section as Section[]) : []);

export function soapOf(c: FhirResource | undefined): TSoap {
  const soap: TSoap = { subjective: '', objective: '', assessment: '', plan: '' };
  if (!c) return soap;
  for (const s of sectionsOf(c)) {
    const code = s.code?.coding?.[0]?.code;
    const key = SOAP_SECTIONS.find((k) => SECTION_CODES[k].code === code);
    if (key && s.text?.div) soap[key] = textOfDiv(s.text.div);
  }
  return soap;
}

const section = (c: { code?: string; display?: string; title: string }, text: string): Record<string, unknown> => ({
  title: c.title,
  ...(c.code ? { code: { coding: [{ system: LOINC, code: c.code, display: c.display }] } } : {}),
  text: { status: 'additional', div: divOfText(text) },
});

export interface NoteFacts {
  readonly encounterId: string;
  readonly patient: string;
  readonly author: string;
  readonly authorDisplay: string | undefined;
  readonly now: Date;
}

const reference = (ref: string, display: string | undefined): Record<string, string> => (display ? { reference: ref, display } : { reference: ref });

/** The draft note: a preliminary Composition with the four SOAP sections. */
export function draftComposition(soap: TSoap, f: NoteFacts, previous?: FhirResource): FhirResource {
  return {
    ...(previous ?? {}),
    resourceType: 'Composition',
    identifier: { system: NOTE_ID_SYSTEM, value: f.encounterId },
    status: 'preliminary',
    type: NOTE_TYPE,
    subject: { reference: f.patient },
    encounter: { reference: `Encounter/${f.encounterId}` },
    date: f.now.toISOString(),
    // Everyone who saved the draft is an author, first author first.
    author: mergeAuthors(previous, reference(f.author, f.authorDisplay)),
    title: 'Video visit progress note',
    section: SOAP_SECTIONS.map((k) => section(SECTION_CODES[k], soap[k])),
  };
}

function mergeAuthors(previous: FhirResource | undefined, author: Record<string, string>): unknown[] {
  const before = Array.isArray(previous?.author) ? (previous.author as unknown[]) : [];
  return before.some((a) => refOf(a) === author.reference) ? before : [...before, author];
}

/** Signing: status final and a legal attester; the sections are left exactly as they are. */
export function signedComposition(c: FhirResource, signer: string, signerDisplay: string | undefined, now: Date): FhirResource {
  return { ...c, status: 'final', attester: [{ mode: 'legal', time: now.toISOString(), party: reference(signer, signerDisplay) }] };
}

/** An amendment: its own final Composition appending the signed note (R4 Composition.relatesTo code `appends`). */
export function amendmentComposition(signedId: string, text: string, f: NoteFacts, amendmentId: string): FhirResource {
  const author = reference(f.author, f.authorDisplay);
  return {
    resourceType: 'Composition',
    identifier: { system: AMENDMENT_ID_SYSTEM, value: amendmentId },
    status: 'final',
    type: NOTE_TYPE,
    subject: { reference: f.patient },
    encounter: { reference: `Encounter/${f.encounterId}` },
    date: f.now.toISOString(),
    author: [author],
    title: 'Amendment to the video visit progress note',
    attester: [{ mode: 'legal', time: f.now.toISOString(), party: author }],
    relatesTo: [{ code: 'appends', targetReference: { reference: `Composition/${signedId}` } }],
    // One untitled-by-code section: LOINC has no section code for an addendum's body.
    section: [section({ title: 'Amendment' }, text)],
  };
}

export const identifierSystem = (c: FhirResource): string | undefined => (c.identifier as { system?: string } | undefined)?.system;

export function amendmentOf(c: FhirResource): TAmendment {
  const div = sectionsOf(c)[0]?.text?.div ?? '';
  const author = Array.isArray(c.author) ? (c.author[0] as unknown) : undefined;
  return { id: String(c.id), text: textOfDiv(div), author: displayOf(author) ?? refOf(author) ?? '', date: String(c.date) };
}

export function signerOf(c: FhirResource): { at?: string; by?: string } {
  const a = Array.isArray(c.attester) ? (c.attester[0] as { time?: string; party?: unknown } | undefined) : undefined;
  if (!a) return {};
  const by = displayOf(a.party) ?? refOf(a.party);
  return { ...(a.time ? { at: a.time } : {}), ...(by ? { by } : {}) };
}
