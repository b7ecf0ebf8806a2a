/**
 * Narrative.div is XHTML that clients render, so it is checked against the R4 narrative rules
 * (https://hl7.org/fhir/R4/narrative.html#xhtml, invariants txt-1 and txt-2): a <div> root, no
 * scripts, forms, frames, objects, head/body, base/link/meta or event-handler attributes. This is a
 * screen for what must never be stored, not an XHTML parser.
 */
const FORBIDDEN_TAGS = /<\s*(script|form|iframe|frame|frameset|object|embed|applet|head|body|base|link|meta|style|input|button)\b/i;
const EVENT_ATTRIBUTE = /<[^>]*\son[a-z]+\s*=/i;
const SCRIPT_URL = /(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data):/i;

export function checkNarrativeDiv(value: unknown): string | null {
  if (typeof value !== 'string') return 'expected XHTML as a JSON string';
  if (!/^\s*<div[\s>]/.test(value)) return 'the narrative must be a single <div> element';
  if (FORBIDDEN_TAGS.test(value)) return 'the narrative contains an element that is not allowed (script, form, frame, object, style…)';
  if (EVENT_ATTRIBUTE.test(value)) return 'the narrative contains an event-handler attribute';
  if (SCRIPT_URL.test(value)) return 'the narrative contains a script or data URL';
  return null;
}
