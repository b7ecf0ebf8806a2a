import { createEvent, type EventAttributes } from 'ics';

export interface IcsVisit {
  readonly appointmentId: string;
  readonly start: Date;
  readonly end: Date;
  readonly title: string;
  readonly description: string;
  /** Increases with each change, so calendars replace the earlier invitation (RFC 5545 §3.8.7.4). */
  readonly sequence: number;
  readonly organizerEmail: string;
  readonly url?: string;
}

/** UID stays the same for the life of the visit so updates and cancellations match (RFC 5545 §3.8.4.7). */
export const icsUid = (appointmentId: string): string => `${appointmentId}@careline.visits`;

const utcParts = (d: Date): [number, number, number, number, number] => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];

/** An iCalendar invitation (METHOD:REQUEST) or its cancellation (METHOD:CANCEL), DTSTART in UTC. */
export function visitIcs(v: IcsVisit, method: 'REQUEST' | 'CANCEL'): string {
  const event: EventAttributes = {
    uid: icsUid(v.appointmentId),
    start: utcParts(v.start),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: utcParts(v.end),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: v.title,
    description: v.description,
    method,
    sequence: v.sequence,
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    organizer: { name: 'Careline', email: v.organizerEmail },
    productId: 'careline/visits',
    ...(v.url ? { url: v.url } : {}),
  };
  const first = createEvent(event);
  if (!first.error && first.value) return first.value;
  // A link the calendar format refuses (a development address such as port 0) must not cost the
  // patient the invitation: the link is in the mail's text as well.
  const { url: _dropped, ...withoutUrl } = event;
  const { error, value } = createEvent(withoutUrl);
  if (error || !value) throw new Error(`the calendar invitation could not be built: ${error?.message ?? 'empty'}`);
  return value;
}
