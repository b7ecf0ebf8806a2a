/**
 * For tests: reads what the reminders send back out of a raw RFC 5322 message and its iCalendar part,
 * the way a mail client and a calendar would, rather than by searching the raw text.
 */

export interface MimePart {
  readonly headers: Readonly<Record<string, string>>;
  /** The body, transfer encoding undone (base64; quoted-printable the SMTP sink already decodes). */
  readonly body: string;
}

function splitHead(block: string): { headers: Record<string, string>; body: string } {
  const at = block.search(/\r?\n\r?\n/);
  const head = at < 0 ? block : block.slice(0, at);
  const body = at < 0 ? '' : block.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  // Header folding (RFC 5322 §2.2.3): a line starting with white space continues the previous one.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

/** The leaf parts of a (possibly nested) multipart message. */
export function mimeParts(raw: string): MimePart[] {
  const { headers, body } = splitHead(raw);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    return sections.filter((s) => !s.startsWith('--')).flatMap((s) => mimeParts(s.replace(/^\r?\n/, '')));
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  return [{ headers, body: encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body }];
}

export interface IcsProperty {
  readonly name: string;
  readonly params: string;
  readonly value: string;
}

/** Content lines of an iCalendar text, unfolded (RFC 5545 §3.1), as name / parameters / value. */
export function icsProperties(text: string): IcsProperty[] {
  const out: IcsProperty[] = [];
  for (const line of text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    if (!line) continue;
    const colon = line.indexOf(':');
    const head = colon < 0 ? line : line.slice(0, colon);
    const semi = head.indexOf(';');
    out.push({ name: (semi < 0 ? head : head.slice(0, semi)).toUpperCase(), params: semi < 0 ? '' : head.slice(semi + 1), value: colon < 0 ? '' : line.slice(colon + 1) });
  }
  return out;
}

/** The value of the first property called `name` (e.g. `DTSTART`), if any. */
export function icsValue(text: string, name: string): string | undefined {
  return icsProperties(text).find((p) => p.name === name)?.value;
}

/** The calendar part of a received mail, or undefined. */
export function calendarPart(raw: string): MimePart | undefined {
  return mimeParts(raw).find((p) => (p.headers['content-type'] ?? '').toLowerCase().startsWith('text/calendar'));
}

/** iCalendar UTC date-time (`20250309T093000Z`) of an instant, to the minute. */
export function icsUtc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace(/[-:]/g, '')}00Z`;
}
