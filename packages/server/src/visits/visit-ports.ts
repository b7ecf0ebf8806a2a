import type { TVisitServerMessage } from '@careline/contracts';

/** Seams between the visits sub-capabilities; implementations are wired in visits-capability.ts. */

export type JoinLinkKind = 'patient' | 'guest';

export interface IssueJoinLink {
  readonly appointmentId: string;
  readonly kind: JoinLinkKind;
  /** 'Patient/<id>' for the patient's own link; absent for guests. */
  readonly participantRef?: string;
  readonly displayName: string;
  /** Guests: interpreter, family, clinician… */
  readonly role?: string;
  /** The slot; validity is derived from it and the configured early/late minutes. */
  readonly start: Date;
  readonly end: Date;
  /** 'User/<accountId>' of whoever asked, or 'system' for reminders. */
  readonly createdBy: string;
}

export interface IssuedJoinLink {
  readonly linkId: string;
  /** Shown once; only its SHA-256 is stored. */
  readonly token: string;
  /** Absolute URL of the join page carrying the token (`<publicUrl>/visit/join#t=<token>`). */
  readonly url: string;
  readonly validFrom: Date;
  readonly validUntil: Date;
}

export interface JoinLinkIssuer {
  issue(request: IssueJoinLink): Promise<IssuedJoinLink>;
  /** Revokes every link of an appointment (cancelled, rescheduled). */
  revokeAll(appointmentId: string, reason: string): Promise<number>;
}

/** Bus topic whose messages the signaling server forwards to every admitted participant of a room. */
export function roomBroadcastTopic(appointmentId: string): string {
  return `visits.room.${appointmentId}.admitted`;
}

/** What may be broadcast to a room's admitted participants by other sub-capabilities. */
export type RoomBroadcast = Extract<TVisitServerMessage, { type: 'vitals' | 'chat' }>;
