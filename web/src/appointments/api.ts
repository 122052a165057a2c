import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 预约 calls, on the shared store client; request and answer types come from the generated document. */

export type AppointmentView = Schemas['AppointmentView'];

/** One to seven days from `from`: each day's room, and the bookings in slot order (a page of them). */
export function getCalendar(s: StoreClient, q: { from: string; days: number } & Paging) {
  return s.data(s.api.GET('/v1/stores/{storeId}/appointments/calendar', { params: { ...s.at(), query: q } }));
}

/** 明日预约 (default tomorrow). */
export function getDayBefore(s: StoreClient, q: { date?: string } & Paging = {}) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/appointments/day-before', { params: { ...s.at(), query: q } }),
  );
}

export function getAppointment(s: StoreClient, appointmentId: string) {
  return s.versioned(
    s.api.GET('/v1/stores/{storeId}/appointments/{appointmentId}', { params: s.at({ appointmentId }) }),
  );
}

export function createAppointment(
  s: StoreClient,
  input: Schemas['AppointmentInput'],
  idempotencyKey: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/appointments', { params: s.creating(idempotencyKey), body: input }),
  );
}

/** 改约: the booking's hours leave its day and take the new one (If-Match). */
export function rescheduleAppointment(
  s: StoreClient,
  appointmentId: string,
  to: Schemas['RescheduleInput'],
  etag: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/appointments/{appointmentId}/reschedule', {
      params: s.changing(etag, { appointmentId }),
      body: to,
    }),
  );
}

export function transitionAppointment(
  s: StoreClient,
  appointmentId: string,
  move: Schemas['TransitionInput'],
  etag: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/appointments/{appointmentId}/transitions', {
      params: s.changing(etag, { appointmentId }),
      body: move,
    }),
  );
}

export function linkAppointment(
  s: StoreClient,
  appointmentId: string,
  link: Schemas['LinkRequestInput'],
  etag: string,
) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/appointments/{appointmentId}/link', {
      params: s.changing(etag, { appointmentId }),
      body: link,
    }),
  );
}

export function appointmentHistory(s: StoreClient, appointmentId: string, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/appointments/{appointmentId}/history', {
      params: { ...s.at({ appointmentId }), query: cursor ? { cursor } : {} },
    }),
  );
}
