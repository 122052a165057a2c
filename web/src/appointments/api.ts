import type { Schemas } from '@aftersales/api-client';
import type {
  Appointment,
  AppointmentDay,
  AppointmentInput,
  RescheduleInput,
  TransitionInput,
} from '@aftersales/domain';
import type { FetchResult } from '../api/client.ts';
import type { Paging, StoreClient } from '../api/store.ts';

/**
 * 预约 calls, on the shared store client.
 *
 * TEMPORARY until the appointments routes are in the generated client: the paths are called through
 * an untyped view of it and the answers typed from the domain's schemas. When the routes land, these
 * become `s.api.GET('/v1/stores/{storeId}/appointments/…')` calls typed by the document.
 */
type Call = (path: string, init: { params: object; body?: unknown }) => Promise<FetchResult<unknown>>;
const untyped = (s: StoreClient) => s.api as unknown as { GET: Call; POST: Call; PATCH: Call };
const BASE = '/v1/stores/{storeId}/appointments';

export type AppointmentView = Appointment & { contactMasked?: boolean };
export interface AppointmentCalendar {
  days: AppointmentDay[];
  appointments: AppointmentView[];
  nextCursor?: string;
}
export interface DayBeforeList {
  date: string;
  items: AppointmentView[];
  nextCursor?: string;
}

const typed = <T>(call: Promise<FetchResult<unknown>>) => call as Promise<FetchResult<T>>;

/** One to seven days from `from`: each day's room, and the bookings in slot order (a page of them). */
export function getCalendar(s: StoreClient, q: { from: string; days: number } & Paging) {
  return s.data(
    typed<AppointmentCalendar>(untyped(s).GET(`${BASE}/calendar`, { params: { ...s.at(), query: q } })),
  );
}

/** 明日预约 (default tomorrow). */
export function getDayBefore(s: StoreClient, q: { date?: string } & Paging = {}) {
  return s.data(
    typed<DayBeforeList>(untyped(s).GET(`${BASE}/day-before`, { params: { ...s.at(), query: q } })),
  );
}

export function getAppointment(s: StoreClient, appointmentId: string) {
  return s.versioned(
    typed<AppointmentView>(untyped(s).GET(`${BASE}/{appointmentId}`, { params: s.at({ appointmentId }) })),
  );
}

export function createAppointment(s: StoreClient, input: AppointmentInput, idempotencyKey: string) {
  return s.versioned(
    typed<AppointmentView>(untyped(s).POST(BASE, { params: s.creating(idempotencyKey), body: input })),
  );
}

/** 改约: the booking's hours leave its day and take the new one (If-Match). */
export function rescheduleAppointment(
  s: StoreClient,
  appointmentId: string,
  to: RescheduleInput,
  etag: string,
) {
  return s.versioned(
    typed<AppointmentView>(
      untyped(s).POST(`${BASE}/{appointmentId}/reschedule`, {
        params: s.changing(etag, { appointmentId }),
        body: to,
      }),
    ),
  );
}

export function transitionAppointment(
  s: StoreClient,
  appointmentId: string,
  move: TransitionInput,
  etag: string,
) {
  return s.versioned(
    typed<AppointmentView>(
      untyped(s).POST(`${BASE}/{appointmentId}/transitions`, {
        params: s.changing(etag, { appointmentId }),
        body: move,
      }),
    ),
  );
}

export function linkAppointment(
  s: StoreClient,
  appointmentId: string,
  link: { customerId: string; vehicleId: string },
  etag: string,
) {
  return s.versioned(
    typed<AppointmentView>(
      untyped(s).POST(`${BASE}/{appointmentId}/link`, {
        params: s.changing(etag, { appointmentId }),
        body: link,
      }),
    ),
  );
}

export function appointmentHistory(s: StoreClient, appointmentId: string, cursor?: string) {
  return s.data(
    typed<Schemas['AuditPage']>(
      untyped(s).GET(`${BASE}/{appointmentId}/history`, {
        params: { ...s.at({ appointmentId }), query: cursor ? { cursor } : {} },
      }),
    ),
  );
}
