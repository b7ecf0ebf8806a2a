import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZAppointment, ZAppointmentIdParams, ZAppointmentsQuery, ZAppointmentsResponse, ZAvailability, ZAvailabilityInput, ZBookablePractitionersResponse,
  ZBookAppointmentRequest, ZCancelRequest, ZFollowUpRequest, ZFollowUpResponse, ZFollowUpTasksResponse, ZGuestInvitation, ZInviteInterpreterRequest,
  ZMyAppointmentsResponse, ZPatientRef, ZPractitionerQuery, ZRescheduleRequest, ZSlotsQuery, ZSlotsResponse, ZVisitTypesResponse,
} from '@careline/contracts';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { getAvailability, putAvailability } from './availability.js';
import { bookAppointment } from './book-appointment.js';
import { cancelAppointment, getAppointment, rescheduleAppointment } from './change-appointment.js';
import { selfRef } from './directory.js';
import { bookablePractitioners, findSlots } from './find-slots.js';
import { openFollowUps, requestFollowUp } from './follow-up.js';
import { inviteInterpreter } from './invite-interpreter.js';
import { listAppointments, myAppointments } from './list-appointments.js';
import { callerOf, type Scheduling } from './scheduling-context.js';
import { BOOKING_RULES, visitTypesOf } from './visit-types.js';

const tags = ['visits'];

/** /api/visits: visit types, availability, slots, appointments (contract: packages/contracts/src/scheduling.ts). Thin: one use case each. */
export const schedulingRoutes: FastifyPluginAsyncZod<{ readonly scheduling: Scheduling }> = async (app, { scheduling: s }) => {
  const { store, platform } = s.deps;

  app.get('/visit-types', { schema: { tags, response: { 200: ZVisitTypesResponse } } }, async (request) => {
    const { principal } = await callerOf(s, request);
    const clinic = principal.kind === 'user' ? principal.memberships[0]?.organizationId : undefined;
    if (!clinic) throw new CarelineError('forbidden', [{ diagnostics: 'Visit types belong to a clinic; you are a member of none.' }]);
    return { visitTypes: await visitTypesOf(store, platform.db, clinic), rules: BOOKING_RULES };
  });

  app.get('/practitioners', { schema: { tags, querystring: z.object({ patient: ZPatientRef.optional() }), response: { 200: ZBookablePractitionersResponse } } }, async (request) => ({
    practitioners: await bookablePractitioners(s, await callerOf(s, request), request.query.patient),
  }));

  app.get('/schedule/availability', { schema: { tags, querystring: ZPractitionerQuery, response: { 200: ZAvailability } } }, async (request) => {
    const { principal } = await callerOf(s, request);
    return getAvailability(store, principal, request.query.practitioner, s.defaultZone);
  });

  app.put('/schedule/availability', { schema: { tags, querystring: ZPractitionerQuery, body: ZAvailabilityInput, response: { 200: ZAvailability } } }, async (request) => {
    const caller = await callerOf(s, request);
    return putAvailability(store, platform.db, caller.principal, caller.own, request.query.practitioner, request.body);
  });

  app.get('/schedule/slots', { schema: { tags, querystring: ZSlotsQuery, response: { 200: ZSlotsResponse } } }, async (request) => findSlots(s, await callerOf(s, request), request.query));

  app.post('/appointments', { schema: { tags, body: ZBookAppointmentRequest, response: { 201: ZAppointment } } }, async (request, reply) => {
    const appointment = await bookAppointment(s, await callerOf(s, request), request.body);
    return reply.code(201).send(appointment);
  });

  app.get('/appointments', { schema: { tags, querystring: ZAppointmentsQuery, response: { 200: ZAppointmentsResponse } } }, async (request) => ({
    appointments: await listAppointments(s, await callerOf(s, request), request.query),
  }));

  app.get('/appointments/mine', { schema: { tags, response: { 200: ZMyAppointmentsResponse } } }, async (request) => myAppointments(s, await callerOf(s, request)));

  app.get('/appointments/:id', { schema: { tags, params: ZAppointmentIdParams, response: { 200: ZAppointment } } }, async (request) =>
    getAppointment(s, await callerOf(s, request), request.params.id));

  app.post('/appointments/:id/reschedule', { schema: { tags, params: ZAppointmentIdParams, body: ZRescheduleRequest, response: { 200: ZAppointment } } }, async (request) =>
    rescheduleAppointment(s, await callerOf(s, request), request.params.id, request.body.start));

  app.post('/appointments/:id/cancel', { schema: { tags, params: ZAppointmentIdParams, body: ZCancelRequest, response: { 200: ZAppointment } } }, async (request) =>
    cancelAppointment(s, await callerOf(s, request), request.params.id, request.body.reason));

  app.post('/appointments/:id/interpreter', { schema: { tags, params: ZAppointmentIdParams, body: ZInviteInterpreterRequest, response: { 201: ZGuestInvitation } } }, async (request, reply) => {
    const invitation = await inviteInterpreter(s, await callerOf(s, request), request.params.id, request.body);
    return reply.code(201).send(invitation);
  });

  app.post('/appointments/:id/follow-up', { schema: { tags, params: ZAppointmentIdParams, body: ZFollowUpRequest, response: { 201: ZFollowUpResponse } } }, async (request, reply) => {
    const out = await requestFollowUp(s, await callerOf(s, request), request.params.id, request.body);
    return reply.code(201).send(out);
  });

  app.get('/follow-ups', { schema: { tags, querystring: z.object({ patient: ZPatientRef.optional() }), response: { 200: ZFollowUpTasksResponse } } }, async (request) => {
    const caller = await callerOf(s, request);
    const self = selfRef(caller.principal);
    const patient = request.query.patient ?? (self?.startsWith('Patient/') && caller.principal.kind === 'user' && caller.principal.memberships.some((m) => m.role === 'patient') ? self : undefined);
    if (!patient) throw new CarelineError('bad-request', [{ diagnostics: 'Name the patient.', expression: ['patient'] }]);
    return { tasks: await openFollowUps(s, caller, patient) };
  });
};
