import { z } from 'zod';

/** Guest invitations (issue #6 item 2). To move to packages/contracts when the web app uses them. */
export const ZInviteGuestBody = z.object({
  displayName: z.string().trim().min(1).max(120),
  /** interpreter, family, clinician… (free text). */
  role: z.string().trim().min(1).max(60),
});

export const ZGuestLink = z.object({
  id: z.uuid(),
  displayName: z.string(),
  role: z.string().nullable(),
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
});

/** Answered once, at creation: the only time the link (and its token) is shown. */
export const ZInvitedGuest = ZGuestLink.extend({ url: z.url() });

export const ZAppointmentParams = z.object({ appointmentId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/) });
export const ZGuestParams = ZAppointmentParams.extend({ linkId: z.uuid() });
