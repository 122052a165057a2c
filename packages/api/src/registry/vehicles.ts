import { VEHICLE } from '@aftersales/data';
import { ValidationError, VehicleSearch, vinPolicyFor } from '@aftersales/domain';
import * as z from 'zod';
import { AuditPage } from '../platform/bodies.ts';
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

/** Vehicles (车辆档案): look-ups at the front desk, registration, edits, owners and drivers, odometer. */
export const vehicles = new ApiRoutes();

const VehicleParams = recordParams(VEHICLE);
const LinkParams = VehicleParams.extend({
  customerId: z.string().meta({ param: { name: 'customerId', in: 'path' } }),
  role: z.enum(['driver', 'fleet_contact']).meta({ param: { name: 'role', in: 'path' } }),
});

vehicles.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'listVehicles',
    permission: 'registry:read',
    tags: ['Vehicles'],
    summary: 'Find vehicles by plate, by full VIN or its last 6, or list recently served',
    description:
      'Send exactly one of `plate`, `vin` or `recent=true`: none or two of them is a 400 `VALIDATION_FAILED`. Each look-up is one indexed query; results carry the owner’s name.',
    'x-exactly-one-of': ['plate', 'vin', 'recent'],
    request: {
      params: StoreParams,
      query: PageQuery.extend({
        plate: z.string().max(40).optional().meta({
          description:
            'Licence plate (车牌), at least 2 characters; full-width characters, spaces, dots and hyphens are normalised away. One of `plate`, `vin`, `recent`.',
          // At least 2 characters once trimmed.
          pattern: '^\\s*\\S[\\s\\S]*\\S\\s*$',
          example: '京A12345',
        }),
        vin: z.string().max(40).optional().meta({
          description:
            'The full VIN (17 characters) or its last 6, without I, O or Q; case, spaces and hyphens are ignored. One of `plate`, `vin`, `recent`.',
          pattern:
            '^[\\s-]*(?:[A-HJ-NPR-Za-hj-npr-z0-9][\\s-]*){6}(?:(?:[A-HJ-NPR-Za-hj-npr-z0-9][\\s-]*){11})?$',
          example: '269225',
        }),
        recent: z.enum(['true']).optional().meta({
          description: 'Vehicles served most recently first. One of `plate`, `vin`, `recent`.',
        }),
      }),
    },
    responses: { 200: json(Pages.VehiclePage, 'Matching vehicles, with owners’ names') },
  },
  async (c) => {
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
  {
    method: 'post',
    path: '/',
    operationId: 'createVehicle',
    permission: 'registry:write',
    errors: ['VEHICLE_VIN_EXISTS'],
    tags: ['Vehicles'],
    summary: 'Register a vehicle (VIN checked; a VIN already in this store is a 409 naming that vehicle)',
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.VehicleInput } } },
    },
    responses: { 201: json(Bodies.Vehicle, 'Registered', CREATED_HEADERS) },
  },
  async (c) => {
    const body = c.req.valid('json');
    const { vehicle, created } = await c.get('tenant').vehicles.create(body, {
      vinPolicy: vinPolicyFor(c.get('access').store.jurisdiction),
      idempotency: idempotency(c, body),
    });
    setCreatedHeaders(c, vehicle, created);
    return c.json(vehicle, 201);
  },
);

vehicles.openapi(
  {
    method: 'get',
    path: '/{vehicleId}',
    operationId: 'getVehicle',
    permission: 'registry:read',
    tags: ['Vehicles'],
    summary: 'A vehicle with owners, drivers and odometer readings',
    request: { params: VehicleParams },
    responses: { 200: json(Bodies.VehicleDetail, 'The vehicle', ['ETag']) },
  },
  async (c) => {
    const detail = await c.get('tenant').vehicles.detail(c.req.valid('param').vehicleId);
    c.header('etag', etag(detail.version));
    return c.json(detail, 200);
  },
);

vehicles.openapi(
  {
    method: 'patch',
    path: '/{vehicleId}',
    operationId: 'updateVehicle',
    permission: 'registry:write',
    tags: ['Vehicles'],
    summary: 'Edit a vehicle (If-Match required; the VIN never changes)',
    description:
      'Only the fields sent change (at least one); `null` clears an optional field; unknown fields are refused. Owner, odometer and VIN have their own operations.',
    request: {
      params: VehicleParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.VehiclePatch } } },
    },
    responses: { 200: json(Bodies.Vehicle, 'The updated vehicle', ['ETag']) },
  },
  async (c) => {
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
  {
    method: 'post',
    path: '/{vehicleId}/transfer',
    operationId: 'transferVehicle',
    permission: 'registry:write',
    errors: ['ALREADY_OWNER'],
    tags: ['Vehicles'],
    summary: 'Transfer to a new owner (过户); the history stays with the vehicle',
    request: {
      params: VehicleParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.TransferOwnershipInput } } },
    },
    responses: { 200: json(Bodies.Vehicle, 'The vehicle with its new owner', ['ETag']) },
  },
  async (c) => {
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
  {
    method: 'post',
    path: '/{vehicleId}/links',
    operationId: 'addVehicleLink',
    permission: 'registry:write',
    errors: ['LINK_EXISTS'],
    tags: ['Vehicles'],
    summary: 'Link a driver (送修人) or fleet contact',
    request: {
      params: VehicleParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.AddLinkInput } } },
    },
    responses: { 200: json(Bodies.Vehicle, 'The vehicle', ['ETag']) },
  },
  async (c) => {
    const { customerId, role } = c.req.valid('json');
    const v = await c
      .get('tenant')
      .vehicles.addLink(c.req.valid('param').vehicleId, customerId, role, expectedVersion(c));
    c.header('etag', etag(v.version));
    return c.json(v, 200);
  },
);

vehicles.openapi(
  {
    method: 'delete',
    path: '/{vehicleId}/links/{customerId}/{role}',
    operationId: 'endVehicleLink',
    permission: 'registry:write',
    errors: ['LINK_NOT_FOUND', 'LINK_ALREADY_ENDED'],
    tags: ['Vehicles'],
    summary: 'End a driver or fleet-contact link (kept in history)',
    request: { params: LinkParams, headers: IfMatchHeader },
    responses: { 200: json(Bodies.Vehicle, 'The vehicle', ['ETag']) },
  },
  async (c) => {
    const { vehicleId, customerId, role } = c.req.valid('param');
    const v = await c.get('tenant').vehicles.endLink(vehicleId, customerId, role, expectedVersion(c));
    c.header('etag', etag(v.version));
    return c.json(v, 200);
  },
);

vehicles.openapi(
  {
    method: 'post',
    path: '/{vehicleId}/odometer',
    operationId: 'recordOdometerReading',
    permission: 'registry:write',
    errors: ['ODOMETER_DECREASED', 'ODOMETER_ABOVE_LATER_READING'],
    tags: ['Vehicles'],
    summary: 'Record an odometer reading (never lower than the last)',
    request: {
      params: VehicleParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.OdometerInput } } },
    },
    responses: { 200: json(Bodies.Vehicle, 'The vehicle', ['ETag']) },
  },
  async (c) => {
    const v = await c
      .get('tenant')
      .vehicles.recordOdometer(c.req.valid('param').vehicleId, c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(v.version));
    return c.json(v, 200);
  },
);

vehicles.openapi(
  {
    method: 'get',
    path: '/{vehicleId}/history',
    operationId: 'getVehicleHistory',
    permission: 'audit:read',
    tags: ['Vehicles'],
    summary: 'Who changed this vehicle, when, and what',
    request: { params: VehicleParams, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { vehicleId } = c.req.valid('param');
    const repo = c.get('tenant').vehicles;
    await repo.require(vehicleId);
    return c.json(await repo.history(vehicleId, c.req.valid('query')), 200);
  },
);
