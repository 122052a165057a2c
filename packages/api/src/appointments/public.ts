import type { DataAccess } from '@aftersales/data';
import {
  Appointments,
  type BookingChallenges,
  type BookingContext,
  bookingContext,
  requestBooking,
} from '@aftersales/data/appointments';
import {
  type Actor,
  AppError,
  BookingChallenge,
  BookingReceipt,
  ConflictError,
  FreeSlots,
  FreeSlotsQuery,
  freeSlotDates,
  freeTimes,
  offersPublicBooking,
  PUBLIC_LANGUAGES,
  PublicBookingRequest,
  PublicStore,
  type Store,
} from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { TtlCache } from '../platform/cache.ts';
import { IdempotencyHeader, idempotency, json, StoreParams } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';

/** The public page's bodies, named for the document. */
const Bodies = named({
  PublicStore,
  FreeSlots,
  BookingChallenge,
  PublicBookingRequest,
  BookingReceipt,
  FreeSlotsQuery,
});

/** Who the audit names for a request nobody signed in to make. */
const PUBLIC_ACTOR: Actor = { userId: 'public-booking', name: 'Public booking page', roles: [] };

const tags = ['Public booking'];

interface PublicFace {
  store: Store;
  context: BookingContext;
}

/**
 * 在线预约: a store's public booking page, without sign-in (mounted under `/public/v1/stores/:storeId`,
 * outside the authentication of `/v1`, behind the per-client limit of `publicRateLimit`). It shows the
 * store's face and free slots, and takes requests proven by a proof of work; it reads nothing of the
 * store's customers or vehicles, so no answer can depend on them.
 */
export function publicBooking(data: DataAccess, challenges: BookingChallenges, now: () => Date) {
  const routes = new ApiRoutes();
  const tenantOf = (storeId: string) => data.forTenant({ tenantId: storeId, actor: PUBLIC_ACTOR, now });
  // 30 s, like the signed-in store look-ups: a page's requests share one read of the store and its set-up.
  const faces = new TtlCache<PublicFace | undefined>(30_000, 5_000, () => now().getTime());
  const face = async (storeId: string): Promise<PublicFace> => {
    const found = await faces.get(storeId, async () => {
      if (!storeId.startsWith('st_')) return undefined;
      const org = await data.directory.getOrganisation(storeId);
      if (org?.kind !== 'store') return undefined;
      const context = await bookingContext(tenantOf(storeId), org.timeZone);
      return offersPublicBooking(context.setup) ? { store: org, context } : undefined;
    });
    // One answer for a store that does not exist and one without the page: nothing tells them apart.
    if (!found) throw new AppError(404, 'STORE_NOT_FOUND', `No store ${storeId} takes bookings online.`);
    return found;
  };

  routes.openapi(
    {
      method: 'get',
      path: '/booking',
      operationId: 'getPublicStore',
      permission: 'public',
      tags,
      summary: 'The store’s public face: name, city, opening hours, the papers to bring, languages',
      description:
        'No sign-in. A store that does not exist and one without online booking answer the same 404.',
      request: { params: StoreParams },
      responses: { 200: json(Bodies.PublicStore, 'The store as customers see it') },
    },
    async (c) => {
      const { store, context } = await face(c.req.valid('param').storeId);
      const { setup } = context;
      const today = now().toISOString().slice(0, 10);
      const body: PublicStore = {
        storeId: store.id,
        name: store.name,
        ...(store.city ? { city: store.city } : {}),
        timeZone: setup.timeZone,
        openingHours: setup.openingHours,
        holidays: setup.holidays.filter((h) => h.date >= today),
        papers: setup.papers,
        languages: [...PUBLIC_LANGUAGES],
      };
      return c.json(body, 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/free-slots',
      operationId: 'listPublicFreeSlots',
      permission: 'public',
      tags,
      summary: 'Free start times per day (at most 14 days): where one general hour still fits',
      description:
        'On the half hour, within opening hours, ahead of now. Free slots only: no bookings, counts or names. One read of the days.',
      request: { params: StoreParams, query: Bodies.FreeSlotsQuery },
      responses: { 200: json(Bodies.FreeSlots, 'The free start times by day') },
    },
    async (c) => {
      const { storeId } = c.req.valid('param');
      const { from, days } = c.req.valid('query');
      const { context } = await face(storeId);
      const dates = freeSlotDates(from, days);
      const rooms = await tenantOf(storeId).repo(Appointments).days(dates, context.setup, context.workforce);
      const at = now();
      const body: FreeSlots = {
        days: rooms.map((day) => ({ date: day.date, times: freeTimes(context.setup, day, at) })),
      };
      return c.json(body, 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/booking-challenge',
      operationId: 'createPublicBookingChallenge',
      permission: 'public',
      readOnly: true,
      tags,
      summary: 'A proof-of-work challenge for one booking request',
      description:
        'Find a `nonce` (decimal digits) such that SHA-256 of the UTF-8 text `challenge + nonce` starts with `difficulty` zero bits, and send both with the request before `expiresAt`. Each challenge is good for one request. Nothing is stored.',
      request: { params: StoreParams },
      responses: { 200: json(Bodies.BookingChallenge, 'The challenge') },
    },
    async (c) => {
      const { store } = await face(c.req.valid('param').storeId);
      return c.json(challenges.issue(store.id, now()), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/booking-requests',
      operationId: 'createPublicBookingRequest',
      permission: 'public',
      tags,
      summary: 'Ask for a booking: the store confirms it later',
      description: [
        'Creates a *requested* online booking of one general hour with the contact and the customer’s own words; the store links it to its records and confirms it.',
        '**It never looks up the store’s customers or vehicles**: the answer (202 with a reference) is the same whether or not the phone or plate is known to the store.',
        'Needs a solved challenge (`proof`); a challenge is single-use (409 `PROOF_ALREADY_USED`). A full day answers 409 `CAPACITY_FULL` with the next days that have room.',
      ].join('\n\n'),
      request: {
        params: StoreParams,
        headers: IdempotencyHeader,
        body: { required: true, content: { 'application/json': { schema: Bodies.PublicBookingRequest } } },
      },
      responses: { 202: json(Bodies.BookingReceipt, 'The request is taken; the store will confirm it') },
      errors: [
        'PROOF_INVALID',
        'PROOF_EXPIRED',
        'PROOF_ALREADY_USED',
        'CAPACITY_FULL',
        'STORE_CLOSED',
        'OUTSIDE_OPENING_HOURS',
        'SLOT_IN_PAST',
      ],
    },
    async (c) => {
      const { storeId } = c.req.valid('param');
      const { proof, ...request } = c.req.valid('json');
      const { context } = await face(storeId);
      const verified = challenges.verify(storeId, proof, now());
      try {
        const { appointment } = await requestBooking(tenantOf(storeId), context, request, {
          proof: verified,
          idempotency: idempotency(c, c.req.valid('json')),
        });
        const receipt: BookingReceipt = {
          reference: appointment.id,
          status: 'requested',
          date: appointment.date,
          time: appointment.time,
        };
        return c.json(receipt, 202);
      } catch (e) {
        // The staff answer names what is short and sister stores: a customer sees the next days only.
        if (e instanceof AppError && e.code === 'CAPACITY_FULL')
          throw new ConflictError(409, 'CAPACITY_FULL', `${request.date} is fully booked.`, {
            date: request.date,
            nextDays: Array.isArray(e.details.nextDays) ? e.details.nextDays : [],
          });
        throw e;
      }
    },
  );

  return routes;
}
