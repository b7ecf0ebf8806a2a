/**
 * The visit room's HTTP calls (issue #6). The join contract is @careline/contracts (visits.ts); the
 * guest-invitation shapes below are this app's reading of the links API and are to move to the
 * contracts when the server publishes them.
 */
import { ZJoinResponse, type TJoinResponse } from '@careline/contracts';
import * as z from 'zod/mini';
import { request } from './http';

/** A join link (patient or guest): the token from the link's fragment; no account needed. */
export const joinWithToken = async (token: string, signal?: AbortSignal): Promise<TJoinResponse> =>
  (await request<TJoinResponse>('/api/visits/join', ZJoinResponse, { method: 'POST', body: { token }, ...(signal ? { signal } : {}) })).data;

/** A signed-in participant (clinician host, patient, caregiver, telepresenter). */
export const joinAsMember = async (appointmentId: string, signal?: AbortSignal): Promise<TJoinResponse> =>
  (await request<TJoinResponse>(`/api/visits/${encodeURIComponent(appointmentId)}/join`, ZJoinResponse, { method: 'POST', body: {}, ...(signal ? { signal } : {}) })).data;

export const ZGuestInvite = z.object({
  id: z.string(),
  displayName: z.string(),
  role: z.optional(z.nullable(z.string())),
  validUntil: z.optional(z.string()),
  revoked: z.optional(z.boolean()),
});
export type TGuestInvite = z.infer<typeof ZGuestInvite>;
/** The creation answer also carries the link itself, shown once (only its hash is stored). */
const ZGuestCreated = z.extend(ZGuestInvite, { url: z.string() });
export type TGuestCreated = z.infer<typeof ZGuestCreated>;
const ZGuestList = z.object({ guests: z.array(ZGuestInvite) });

export const inviteGuest = async (appointmentId: string, body: { displayName: string; role: string }): Promise<TGuestCreated> =>
  (await request(`/api/visits/${encodeURIComponent(appointmentId)}/guests`, ZGuestCreated, { method: 'POST', body })).data;

export const listGuests = async (appointmentId: string, signal?: AbortSignal): Promise<readonly TGuestInvite[]> =>
  (await request(`/api/visits/${encodeURIComponent(appointmentId)}/guests`, ZGuestList, signal ? { signal } : {})).data.guests;

export const revokeGuest = async (appointmentId: string, guestId: string): Promise<void> => {
  await request(`/api/visits/${encodeURIComponent(appointmentId)}/guests/${encodeURIComponent(guestId)}`, null, { method: 'DELETE' });
};
