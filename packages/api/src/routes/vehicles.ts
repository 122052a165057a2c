import {
  AddLinkInput,
  AuditEntry,
  OdometerInput,
  TransferOwnershipInput,
  ValidationError,
  Vehicle,
  VehicleDetail,
  VehicleInput,
  VehicleListItem,
  VehiclePatch,
  VehicleSearch,
  vinPolicyFor,
} from '@aftersales/domain';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { authorize } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import {
  etag,
  expectedVersion,
  IdempotencyHeader,
  IfMatchHeader,
  idempotency,
  json,
  PageQuery,
  pageOf,
  StoreParams,
} from '../http.ts';
import { conflictResponses, errorResponses, validationHook } from '../problem.ts';

/** Vehicles (车辆档案): look-ups at the front desk, registration, edits, owners and drivers, odometer. */
export const vehicles = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const VehicleParams = StoreParams.extend({
  vehicleId: z.string().openapi({ param: { name: 'vehicleId', in: 'path' } }),
});
const LinkParams = VehicleParams.extend({
  customerId: z.string().openapi({ param: { name: 'customerId', in: 'path' } }),
  role: z.enum(['driver', 'fleet_contact']).openapi({ param: { name: 'role', in: 'path' } }),
});

vehicles.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Vehicles'],
    summary: 'Find vehicles by plate, by full VIN or its last 6, or list recently served',
    request: {
      params: StoreParams,
      query: PageQuery.extend({
        plate: z.string().optional().openapi({ example: '京A12345' }),
        vin: z.string().optional().openapi({ description: 'Full VIN (17) or its last 6 characters' }),
        recent: z.enum(['true']).optional(),
      }),
    },
    responses: {
      200: json(pageOf(VehicleListItem), 'Matching vehicles, with owners’ names'),
      ...errorResponses,
    },
  }),
  async (c) => {
    authorize(c, 'registry:read');
    const { cursor, limit, ...criteria } = c.req.valid('query');
    const given = Object.entries(criteria).filter(([, v]) => v !== undefined);
    const search = given.length === 1 ? VehicleSearch.safeParse(Object.fromEntries(given)) : undefined;
    if (!search?.success) {
      const path = given.length === 1 ? given[0]![0] : 'query';
      const message =
        given.length === 1
          ? (search?.error.issues[0]?.message ?? 'Invalid search.')
          : 'Search by exactly one of plate, vin or recent=true.';
      throw new ValidationError([{ path, message }]);
    }
    const repo = c.get('tenant').vehicles;
    const page = { cursor, limit: limit ?? 25 };
    const q = search.data;
    const result =
      'plate' in q
        ? await repo.findByPlate(q.plate, page)
        : 'vin' in q
          ? await repo.findByVin(q.vin, page)
          : await repo.recent(page);
    return c.json(result, 200);
  },
);

vehicles.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['Vehicles'],
    summary: 'Register a vehicle (VIN checked; a VIN already in this store is a 409 naming that vehicle)',
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: VehicleInput } } },
    },
    responses: { 201: json(Vehicle, 'Registered'), ...errorResponses, ...conflictResponses },
  }),
  async (c) => {
    authorize(c, 'registry:write');
    const body = c.req.valid('json');
    const { vehicle, created } = await c.get('tenant').vehicles.create(body, {
      vinPolicy: vinPolicyFor(c.get('access').store.jurisdiction),
      idempotency: idempotency(c, body),
    });
    c.header('etag', etag(vehicle.version));
    c.header('location', `${c.req.path.replace(/\/$/, '')}/${vehicle.id}`);
    if (!created) c.header('idempotent-replayed', 'true');
    return c.json(vehicle, 201);
  },
);

vehicles.openapi(
  createRoute({
    method: 'get',
    path: '/{vehicleId}',
    tags: ['Vehicles'],
    summary: 'A vehicle with owners, drivers and odometer readings',
    request: { params: VehicleParams },
    responses: { 200: json(VehicleDetail, 'The vehicle'), ...errorResponses },
  }),
  async (c) => {
    authorize(c, 'registry:read');
    const detail = await c.get('tenant').vehicles.detail(c.req.valid('param').vehicleId);
    c.header('etag', etag(detail.version));
    return c.json(detail, 200);
  },
);

vehicles.openapi(
  createRoute({
    method: 'patch',
    path: '/{vehicleId}',
    tags: ['Vehicles'],
    summary: 'Edit a vehicle (If-Match required; the VIN never changes)',
    request: {
      params: VehicleParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: VehiclePatch } } },
    },
    responses: { 200: json(Vehicle, 'The updated vehicle'), ...errorResponses, ...conflictResponses },
  }),
  async (c) => {
    authorize(c, 'registry:write');
    const updated = await c
      .get('tenant')
      .vehicles.update(
        c.req.valid('param').vehicleId,
        c.req.valid('json'),
        expectedVersion(c),
        vinPolicyFor(c.get('access').store.jurisdiction),
      );
    c.header('etag', etag(updated.version));
    return c.json(updated, 200);
  },
);

vehicles.openapi(
  createRoute({
    method: 'post',
    path: '/{vehicleId}/transfer',
    tags: ['Vehicles'],
    summary: 'Transfer to a new owner (过户); the history stays with the vehicle',
    request: {
      params: VehicleParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: TransferOwnershipInput } } },
    },
    responses: {
      200: json(Vehicle, 'The vehicle with its new owner'),
      ...errorResponses,
      ...conflictResponses,
    },
  }),
  async (c) => {
    authorize(c, 'registry:write');
    const v = await c
      .get('tenant')
      .vehicles.transferOwnership(
        c.req.valid('param').vehicleId,
        c.req.valid('json').newOwnerCustomerId,
        expectedVersion(c),
      );
    c.header('etag', etag(v.version));
    return c.json(v, 200);
  },
);

vehicles.openapi(
  createRoute({
    method: 'post',
    path: '/{vehicleId}/links',
    tags: ['Vehicles'],
    summary: 'Link a driver (送修人) or fleet contact',
    request: {
      params: VehicleParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: AddLinkInput } } },
    },
    responses: { 200: json(Vehicle, 'The vehicle'), ...errorResponses, ...conflictResponses },
  }),
  async (c) => {
    authorize(c, 'registry:write');
    const { customerId, role } = c.req.valid('json');
    const v = await c
      .get('tenant')
      .vehicles.addLink(c.req.valid('param').vehicleId, customerId, role, expectedVersion(c));
    c.header('etag', etag(v.version));
    return c.json(v, 200);
  },
);

vehicles.openapi(
  createRoute({
    method: 'delete',
    path: '/{vehicleId}/links/{customerId}/{role}',
    tags: ['Vehicles'],
    summary: 'End a driver or fleet-contact link (kept in history)',
    request: { params: LinkParams, headers: IfMatchHeader },
    responses: { 200: json(Vehicle, 'The vehicle'), ...errorResponses, ...conflictResponses },
  }),
  async (c) => {
    authorize(c, 'registry:write');
    const { vehicleId, customerId, role } = c.req.valid('param');
    const v = await c.get('tenant').vehicles.endLink(vehicleId, customerId, role, expectedVersion(c));
    c.header('etag', etag(v.version));
    return c.json(v, 200);
  },
);

vehicles.openapi(
  createRoute({
    method: 'post',
    path: '/{vehicleId}/odometer',
    tags: ['Vehicles'],
    summary: 'Record an odometer reading (never lower than the last)',
    request: {
      params: VehicleParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: OdometerInput } } },
    },
    responses: { 200: json(Vehicle, 'The vehicle'), ...errorResponses, ...conflictResponses },
  }),
  async (c) => {
    authorize(c, 'registry:write');
    const v = await c
      .get('tenant')
      .vehicles.recordOdometer(c.req.valid('param').vehicleId, c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(v.version));
    return c.json(v, 200);
  },
);

vehicles.openapi(
  createRoute({
    method: 'get',
    path: '/{vehicleId}/history',
    tags: ['Vehicles'],
    summary: 'Who changed this vehicle, when, and what',
    request: { params: VehicleParams, query: PageQuery },
    responses: { 200: json(pageOf(AuditEntry), 'Audit entries, newest first'), ...errorResponses },
  }),
  async (c) => {
    authorize(c, 'audit:read');
    const { vehicleId } = c.req.valid('param');
    const repo = c.get('tenant').vehicles;
    await repo.require(vehicleId);
    return c.json(await repo.history(vehicleId, c.req.valid('query')), 200);
  },
);
