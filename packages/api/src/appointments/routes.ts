import type { DataAccess, TenantData } from '@aftersales/data';
import {
  APPOINTMENT,
  Appointments,
  type BookingContext,
  book,
  bookingContext,
  editBooking,
  linkRequest,
  registryParty,
  rescheduleBooking,
  resolveLines,
  type SisterStoreFinder,
} from '@aftersales/data/appointments';
import { partStatusesOf } from '@aftersales/data/parts';
import {
  type Appointment,
  type AppointmentView,
  type AuditEntry,
  addDays,
  IsoDate,
  maskPhone,
  sistersWithRoom,
  ValidationError,
  wallClock,
} from '@aftersales/domain';
import type { Context } from 'hono';
import * as z from 'zod';
import { AuditPage } from '../platform/bodies.ts';
import type { AppEnv } from '../platform/env.ts';
import {
  CREATED_HEADERS,
  etag,
  expectedVersion,
  IdempotencyHeader,
  IfMatchHeader,
  idempotency,
  json,
  PageQuery,
  recordParams,
  StoreParams,
  setCreatedHeaders,
} from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

const tags = ['Appointments'];
const Params = recordParams(APPOINTMENT);
type Ctx = Context<AppEnv>;

/** Whether the caller's roles may see a request's phone in full (`customer:contact`). */
const canContact = (c: Ctx) => c.get('access').permissions.has('customer:contact');

/** A booking as the caller may see it: a public request's phone masked for roles that do not contact customers. */
function present(a: Appointment, contact: boolean): AppointmentView {
  if (contact || !a.contact) return { ...a, contactMasked: !contact };
  return { ...a, contact: { ...a.contact, phone: maskPhone(a.contact.phone) }, contactMasked: true };
}

/** History shows the contact too: its phone masked as the record is. */
function maskHistory(entry: AuditEntry): AuditEntry {
  const mask = (v: unknown) =>
    v && typeof v === 'object' && 'phone' in v ? { ...v, phone: maskPhone(String(v.phone)) } : v;
  return {
    ...entry,
    changes: entry.changes.map((ch) =>
      ch.field === 'contact' ? { ...ch, from: mask(ch.from), to: mask(ch.to) } : ch,
    ),
  };
}

/** The group's stores with room that day, from the group's projection (one GetItem); none for an independent store. */
function sisterStores(data: DataAccess, c: Ctx): SisterStoreFinder | undefined {
  const { store } = c.get('access');
  if (!store.groupId) return undefined;
  const rooms = data.groupRooms(store.groupId);
  return async (date, load) => sistersWithRoom(await rooms.on(date), store.id, load);
}

/** A change of one booking checked against its day's room (an edit, a reschedule): one way to answer it. */
type RoomChange<I> = (
  tenant: TenantData,
  context: BookingContext,
  id: string,
  input: I,
  expectedVersion: number,
  sisters?: SisterStoreFinder,
) => Promise<Appointment>;

async function changeInRoom<I>(data: DataAccess, c: Ctx, id: string, input: I, change: RoomChange<I>) {
  const { tenant, access } = c.var;
  const context = await bookingContext(tenant, access.store.timeZone);
  const booking = await change(tenant, context, id, input, expectedVersion(c), sisterStores(data, c));
  c.header('etag', etag(booking.version));
  return present(booking, canContact(c));
}

const MANAGE_ERRORS = ['APPOINTMENT_CLOSED', 'CAPACITY_FULL', 'LABOUR_OP_UNAVAILABLE'] as const;
const SLOT_ERRORS = ['STORE_CLOSED', 'OUTSIDE_OPENING_HOURS', 'SLOT_IN_PAST', 'CAPACITY_FULL'] as const;

/** 预约: the advisor's bookings, calendar and day-before list. */
export function appointments(data: DataAccess) {
  const routes = new ApiRoutes();

  routes.openapi(
    {
      method: 'post',
      path: '/',
      operationId: 'createAppointment',
      permission: 'appointment:manage',
      tags,
      summary: 'Book a customer’s vehicle into a day (at the desk or on the phone)',
      description:
        'Labour operations come from the catalogue at their hours for the vehicle’s model; the customer’s own words (`concern`) count one general hour unless `concernEstimate` says otherwise. A day without room for the hours is a 409 `CAPACITY_FULL` whose body names `nextDays` with room and, for a group’s store, `sisterStores` with room that day; `urgent` (先急后缓) books into a full day anyway and is recorded as `overbooked`. A customer or vehicle not in the store is a 400 with `CUSTOMER_NOT_FOUND` / `VEHICLE_NOT_FOUND` on its field; neither an operation nor a concern is a 400 `NO_WORK` on `concern`.',
      errors: [...SLOT_ERRORS, 'LABOUR_OP_UNAVAILABLE'],
      request: {
        params: StoreParams,
        headers: IdempotencyHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.AppointmentInput } } },
      },
      responses: {
        201: json(
          Bodies.AppointmentView,
          'Booked (or, for a repeated Idempotency-Key, the first result)',
          CREATED_HEADERS,
        ),
      },
    },
    async (c) => {
      const body = c.req.valid('json');
      const { tenant, access } = c.var;
      const [context, party] = await Promise.all([
        bookingContext(tenant, access.store.timeZone),
        registryParty(tenant, body.customerId, body.vehicleId),
      ]);
      const lines = await resolveLines(tenant, body.labourOpIds, party.vehicle.model);
      const { labourOpIds: _ids, ...fields } = body;
      const { appointment, created } = await book(
        tenant,
        context,
        { ...fields, lines, customerName: party.customer.name, plate: party.vehicle.plate },
        { idempotency: idempotency(c, body), sisterStores: sisterStores(data, c) },
      );
      setCreatedHeaders(c, appointment, created);
      return c.json(present(appointment, canContact(c)), 201);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/',
      operationId: 'listAppointments',
      permission: 'appointment:read',
      tags,
      summary: 'Bookings from one store-local day to another, in slot order, paged',
      description:
        'Default: the two weeks from today (the store’s time zone); at most 31 days at once (400 otherwise). One Query on the calendar index per page.',
      request: {
        params: StoreParams,
        query: PageQuery.extend({
          from: IsoDate.optional().meta({ description: 'First day (default today).', example: '2026-10-01' }),
          to: IsoDate.optional().meta({
            description: 'Last day, inclusive (default `from` + 13).',
            example: '2026-10-14',
          }),
        }),
      },
      responses: { 200: json(Pages.AppointmentPage, 'Bookings') },
    },
    async (c) => {
      const { from: asked, to: askedTo, cursor, limit } = c.req.valid('query');
      const { tenant, access } = c.var;
      const from = asked ?? wallClock(tenant.now(), access.store.timeZone).date;
      const to = askedTo ?? addDays(from, 13);
      if (to < from || addDays(from, 30) < to)
        throw new ValidationError([
          { path: 'query.to', message: 'Give a `to` on or after `from`, at most 31 days on.' },
        ]);
      const page = await tenant.repo(Appointments).between(from, to, { cursor, limit: limit ?? 25 });
      const contact = canContact(c);
      return c.json({ ...page, items: page.items.map((a) => present(a, contact)) }, 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/calendar',
      operationId: 'getAppointmentCalendar',
      permission: 'appointment:read',
      tags,
      summary: 'The advisor’s day or week: capacity and booked hours per bay type, and the bookings by slot',
      description:
        'Capacity and booked are tenths of an hour per bay type (95 = 9.5 h). Four DynamoDB requests whatever the number of bookings: the set-up (GetItem), the staff (one Query page), the days (one BatchGetItem) and the bookings (one Query on the calendar index per page of up to `limit`, default 100).',
      request: {
        params: StoreParams,
        query: PageQuery.extend({
          from: IsoDate.meta({ description: 'The first store-local day.', example: '2026-10-01' }),
          days: z.coerce
            .number()
            .check(z.int(), z.gte(1), z.lte(7))
            .optional()
            .meta({ description: 'Days from `from`, 1–7 (default 1).' }),
        }),
      },
      responses: { 200: json(Bodies.AppointmentCalendar, 'The days and their bookings') },
    },
    async (c) => {
      const { from, days = 1, cursor, limit } = c.req.valid('query');
      const { tenant, access } = c.var;
      const dates = Array.from({ length: days }, (_, i) => addDays(from, i));
      const repo = tenant.repo(Appointments);
      const [context, page] = await Promise.all([
        bookingContext(tenant, access.store.timeZone),
        repo.between(from, dates.at(-1)!, { cursor, limit: limit ?? 100 }),
      ]);
      const contact = canContact(c);
      return c.json(
        {
          days: await repo.days(dates, context.setup, context.workforce),
          appointments: page.items.map((a) => present(a, contact)),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
        200,
      );
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/day-before',
      operationId: 'getDayBeforeList',
      permission: 'appointment:read',
      tags,
      summary: '明日预约: a day’s bookings that still stand, to confirm, pre-pick parts for, or chase',
      description:
        'Default: tomorrow in the store’s time zone. Cancelled bookings are left out; each item has its status (requested = not yet confirmed), the parts it needs with their states (`partStatuses`: reserved, in stock, or to order with the expected date) and the papers to bring. A public request’s phone is masked for roles without `customer:contact`. One Query per page for the bookings; the part states take a bounded number more whatever the bookings: one Query per distinct part number of the page (8 at a time), and BatchGets of the parts’ books and of the bookings’ reservations.',
      request: {
        params: StoreParams,
        query: PageQuery.extend({
          date: IsoDate.optional().meta({
            description: 'The store-local day (default tomorrow).',
            example: '2026-10-02',
          }),
        }),
      },
      responses: { 200: json(Bodies.DayBeforeList, 'The day’s bookings') },
    },
    async (c) => {
      const { date: asked, cursor, limit } = c.req.valid('query');
      const { tenant, access } = c.var;
      const date = asked ?? addDays(wallClock(tenant.now(), access.store.timeZone).date, 1);
      const page = await tenant.repo(Appointments).between(date, date, { cursor, limit: limit ?? 100 });
      const standing = page.items.filter((a) => a.status !== 'cancelled');
      const statuses = await partStatusesOf(tenant, standing);
      const contact = canContact(c);
      return c.json(
        {
          date,
          items: standing.map((a) => ({ ...present(a, contact), partStatuses: statuses.get(a.id) ?? [] })),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
        200,
      );
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{appointmentId}',
      operationId: 'getAppointment',
      permission: 'appointment:read',
      tags,
      summary: 'One booking',
      request: { params: Params },
      responses: { 200: json(Bodies.AppointmentView, 'The booking', ['ETag']) },
    },
    async (c) => {
      const a = await c.var.tenant.repo(Appointments).require(c.req.valid('param').appointmentId);
      c.header('etag', etag(a.version));
      return c.json(present(a, canContact(c)), 200);
    },
  );

  routes.openapi(
    {
      method: 'patch',
      path: '/{appointmentId}',
      operationId: 'updateAppointment',
      permission: 'appointment:manage',
      tags,
      summary: 'Change the work booked (If-Match required): hours and estimate follow',
      description:
        'Only the fields sent change (at least one); `null` clears an optional field. More hours must fit the day (409 `CAPACITY_FULL`, unless the booking is urgent); fewer give hours back. The slot is changed by `reschedule`, the status by `transitions`.',
      errors: MANAGE_ERRORS,
      request: {
        params: Params,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.AppointmentPatch } } },
      },
      responses: { 200: json(Bodies.AppointmentView, 'The updated booking', ['ETag']) },
    },
    async (c) => {
      const { appointmentId } = c.req.valid('param');
      return c.json(await changeInRoom(data, c, appointmentId, c.req.valid('json'), editBooking), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/{appointmentId}/reschedule',
      operationId: 'rescheduleAppointment',
      permission: 'appointment:manage',
      tags,
      summary: '改约: move the booking to another slot (If-Match required)',
      description:
        'The booking’s hours leave the old day and take the new one in one transaction. A full day is a 409 `CAPACITY_FULL` with `nextDays` and `sisterStores`; an urgent booking (or `urgent` sent now) overbooks it.',
      errors: [...SLOT_ERRORS, 'APPOINTMENT_CLOSED'],
      request: {
        params: Params,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.RescheduleInput } } },
      },
      responses: { 200: json(Bodies.AppointmentView, 'The booking in its new slot', ['ETag']) },
    },
    async (c) => {
      const { appointmentId } = c.req.valid('param');
      return c.json(await changeInRoom(data, c, appointmentId, c.req.valid('json'), rescheduleBooking), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/{appointmentId}/transitions',
      operationId: 'transitionAppointment',
      permission: 'appointment:manage',
      tags,
      summary: 'Confirm, check in, mark a no-show or cancel (If-Match required)',
      description:
        'requested → confirmed | cancelled; confirmed → checked_in | no_show | cancelled. A cancellation needs a `reason`; a no-show can be marked only once the slot has begun (409 `NO_SHOW_BEFORE_START`); a public request is linked before it is confirmed (409 `REQUEST_NOT_LINKED`). A cancelled or missed booking gives its hours back.',
      errors: ['APPOINTMENT_TRANSITION_NOT_ALLOWED', 'NO_SHOW_BEFORE_START', 'REQUEST_NOT_LINKED'],
      request: {
        params: Params,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.TransitionInput } } },
      },
      responses: { 200: json(Bodies.AppointmentView, 'The booking in its new status', ['ETag']) },
    },
    async (c) => {
      const moved = await c.var.tenant
        .repo(Appointments)
        .transition(c.req.valid('param').appointmentId, c.req.valid('json'), expectedVersion(c));
      c.header('etag', etag(moved.version));
      return c.json(present(moved, canContact(c)), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/{appointmentId}/link',
      operationId: 'linkAppointment',
      permission: 'appointment:manage',
      tags,
      summary: 'Link a public request to the registry’s customer and vehicle (If-Match required)',
      description:
        'The advisor finds or creates them first; their name and plate are kept on the booking for the calendar. A customer or vehicle not in the store is a 400 on its field.',
      errors: ['APPOINTMENT_CLOSED'],
      request: {
        params: Params,
        headers: IfMatchHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.LinkRequestInput } } },
      },
      responses: { 200: json(Bodies.AppointmentView, 'The linked booking', ['ETag']) },
    },
    async (c) => {
      const linked = await linkRequest(
        c.var.tenant,
        c.req.valid('param').appointmentId,
        c.req.valid('json'),
        expectedVersion(c),
      );
      c.header('etag', etag(linked.version));
      return c.json(present(linked, canContact(c)), 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{appointmentId}/history',
      operationId: 'getAppointmentHistory',
      permission: 'appointment:read',
      tags,
      summary: 'Who booked, changed, moved or confirmed this booking, when, and what',
      request: { params: Params, query: PageQuery },
      responses: { 200: json(AuditPage, 'Audit entries, newest first') },
    },
    async (c) => {
      const { appointmentId } = c.req.valid('param');
      const repo = c.var.tenant.repo(Appointments);
      await repo.require(appointmentId);
      const page = await repo.history(appointmentId, c.req.valid('query'));
      if (canContact(c)) return c.json(page, 200);
      return c.json({ ...page, items: page.items.map(maskHistory) }, 200);
    },
  );

  return routes;
}
