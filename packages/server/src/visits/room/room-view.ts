import type { TPeer, TVisitSummary, TWaitingPeer } from '@careline/contracts';
import type { AppointmentView } from '../links/appointment-view.js';
import type { ParticipantRow, RoomRow } from './room-repository.js';

/** How others see a participant: no tokens, no FHIR ids. */
export function peerOf(p: ParticipantRow): TPeer {
  return { id: p.id, kind: p.kind, displayName: p.display_name, host: p.host, ...(p.role ? { role: p.role } : {}) };
}

export function waitingPeerOf(p: ParticipantRow): TWaitingPeer {
  return { ...peerOf(p), since: p.since.toISOString() };
}

export function visitSummary(a: AppointmentView, room: RoomRow | undefined, hostName: string): TVisitSummary {
  const status: TVisitSummary['status'] =
    a.status === 'cancelled' ? 'cancelled' : room?.ended_at || a.status === 'fulfilled' ? 'finished' : room?.encounter_id ? 'in-progress' : a.status === 'arrived' ? 'arrived' : 'booked';
  return { appointmentId: a.id, start: a.start.toISOString(), end: a.end.toISOString(), visitType: a.visitType, mode: a.mode, hostName, status };
}

/** Server messages a participant still in the waiting room may receive; everything else is dropped. */
export const WAITING_ALLOWED: ReadonlySet<string> = new Set(['hello', 'lobby-message', 'ended', 'pong', 'error']);
