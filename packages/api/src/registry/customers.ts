import { CUSTOMER, type CustomerRecord } from '@aftersales/data';
import {
  type AuditEntry,
  type Customer,
  CustomerSearch,
  maskPhone,
  PHONE_AS_TYPED,
  ValidationError,
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

/** Customers (客户档案): search, create, read, edit, history. */
export const customers = new ApiRoutes();

const CustomerParams = recordParams(CUSTOMER);

/** Whether the caller's roles may see phone numbers in full (`customer:contact`). */
function canContact(c: Context<AppEnv>): boolean {
  return c.get('access').permissions.has('customer:contact');
}

/** Contact details other than the phones: roles without `customer:contact` see none of them. */
const CONTACT_FIELDS = ['email', 'contactPerson', 'notes'] as const;

/**
 * Phone numbers are shown in full, and e-mail, contact person and notes at all, only to roles that
 * contact customers, on every response path (PIPL: the others need the record, not the person's contacts).
 */
export function presentCustomer(c: CustomerRecord, canContact: boolean): Customer {
  if (canContact) return { ...c, phonesMasked: false };
  const { email: _email, contactPerson: _contactPerson, notes: _notes, ...rest } = c;
  return {
    ...rest,
    phones: c.phones.map((p) => ({ ...p, number: maskPhone(p.number) })),
    phonesMasked: true,
  };
}

/** History shows contact changes too: masked (phones) or left without values, as the record is. */
function maskContactInChanges(entry: AuditEntry): AuditEntry {
  const mask = (v: unknown) =>
    Array.isArray(v)
      ? v.map((p: { number?: unknown }) => ({ ...p, number: maskPhone(String(p.number ?? '')) }))
      : v;
  return {
    ...entry,
    changes: entry.changes.map((ch) =>
      ch.field === 'phones'
        ? { ...ch, from: mask(ch.from), to: mask(ch.to) }
        : (CONTACT_FIELDS as readonly string[]).includes(ch.field)
          ? { field: ch.field }
          : ch,
    ),
  };
}

customers.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'listCustomers',
    permission: 'registry:read',
    tags: ['Customers'],
    summary: 'Search customers by phone or name prefix (A–Z list without either)',
    description:
      'At most one of `phone` and `name`. By `phone`: every customer with that number, in one page. By `name` (or neither): customers whose name starts with it, A–Z, paged. For roles without `customer:contact`, phone numbers are masked (at most half of each shown) and e-mail, contact person and notes are left out.',
    'x-at-most-one-of': ['phone', 'name'],
    request: {
      params: StoreParams,
      query: PageQuery.extend({
        phone: z.string().max(40).optional().meta({
          description:
            'Whole phone number, as a customer’s number is written (`pattern`): 5–15 digits, an optional leading +, separators ignored; +86/0086 before a Chinese mobile is dropped. Not with `name`; `cursor` and `limit` do not apply.',
          minLength: 5,
          pattern: PHONE_AS_TYPED,
          example: '138 0013 8000',
        }),
        name: z.string().max(120).optional().meta({
          description:
            'Name prefix, case-, width- and space-insensitive; empty or absent lists every customer A–Z. Not with `phone`.',
          example: '王',
        }),
      }),
    },
    responses: { 200: json(Pages.CustomerPage, 'Matching customers') },
  },
  async (c) => {
    const q = c.req.valid('query');
    if (q.phone !== undefined && q.name !== undefined) {
      throw new ValidationError([{ path: 'query', message: 'Search by phone or by name, not both.' }]);
    }
    const contact = canContact(c);
    const { customers: repo } = c.get('tenant');
    if (q.phone !== undefined) {
      const search = CustomerSearch.safeParse({ phone: q.phone });
      if (!search.success || !('phone' in search.data)) {
        throw new ValidationError([
          { path: 'phone', message: 'Give at least 5 digits of the phone number.' },
        ]);
      }
      const found = await repo.findByPhone(search.data.phone);
      return c.json({ items: found.map((x) => presentCustomer(x, contact)) }, 200);
    }
    const page = await repo.searchByName(q.name?.trim() ?? '', { cursor: q.cursor, limit: q.limit ?? 25 });
    return c.json({ ...page, items: page.items.map((x) => presentCustomer(x, contact)) }, 200);
  },
);

customers.openapi(
  {
    method: 'post',
    path: '/',
    operationId: 'createCustomer',
    permission: 'registry:write',
    tags: ['Customers'],
    summary: 'Create a customer',
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.CustomerInput } } },
    },
    responses: {
      201: json(
        Bodies.Customer,
        'Created (or, for a repeated Idempotency-Key, the first result)',
        CREATED_HEADERS,
      ),
    },
  },
  async (c) => {
    const body = c.req.valid('json');
    const { customer, created } = await c
      .get('tenant')
      .customers.create(body, { idempotency: idempotency(c, body) });
    setCreatedHeaders(c, customer, created);
    return c.json(presentCustomer(customer, canContact(c)), 201);
  },
);

customers.openapi(
  {
    method: 'get',
    path: '/{customerId}',
    operationId: 'getCustomer',
    permission: 'registry:read',
    tags: ['Customers'],
    summary: 'A customer with their vehicles',
    request: { params: CustomerParams },
    responses: { 200: json(Bodies.CustomerDetail, 'The customer', ['ETag']) },
  },
  async (c) => {
    const { customerId } = c.req.valid('param');
    const { customers: repo, vehicles } = c.get('tenant');
    const [customer, linked] = await Promise.all([
      repo.require(customerId),
      vehicles.ofCustomer(customerId, { limit: 50 }),
    ]);
    c.header('etag', etag(customer.version));
    return c.json(
      {
        ...presentCustomer(customer, canContact(c)),
        vehicles: linked.items,
        ...(linked.nextCursor ? { vehiclesNextCursor: linked.nextCursor } : {}),
      },
      200,
    );
  },
);

customers.openapi(
  {
    method: 'get',
    path: '/{customerId}/vehicles',
    operationId: 'listCustomerVehicles',
    permission: 'registry:read',
    tags: ['Customers'],
    summary: 'A customer’s vehicles, current and past, page by page (a fleet’s list continues here)',
    request: { params: CustomerParams, query: PageQuery },
    responses: { 200: json(Pages.CustomerVehiclePage, 'The customer’s vehicles') },
  },
  async (c) => {
    const { customerId } = c.req.valid('param');
    const { customers: repo, vehicles } = c.get('tenant');
    const [, page] = await Promise.all([
      repo.require(customerId),
      vehicles.ofCustomer(customerId, c.req.valid('query')),
    ]);
    return c.json(page, 200);
  },
);

customers.openapi(
  {
    method: 'patch',
    path: '/{customerId}',
    operationId: 'updateCustomer',
    permission: 'registry:write',
    tags: ['Customers'],
    summary: 'Edit a customer (If-Match required)',
    description:
      'Only the fields sent change (at least one); `null` clears an optional field; unknown fields are refused.',
    request: {
      params: CustomerParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.CustomerPatch } } },
    },
    responses: { 200: json(Bodies.Customer, 'The updated customer', ['ETag']) },
  },
  async (c) => {
    const { customerId } = c.req.valid('param');
    const updated = await c
      .get('tenant')
      .customers.update(customerId, c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(updated.version));
    return c.json(presentCustomer(updated, canContact(c)), 200);
  },
);

customers.openapi(
  {
    method: 'get',
    path: '/{customerId}/history',
    operationId: 'getCustomerHistory',
    permission: 'audit:read',
    tags: ['Customers'],
    summary: 'Who changed this customer, when, and what',
    request: { params: CustomerParams, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { customerId } = c.req.valid('param');
    const { customers: repo } = c.get('tenant');
    await repo.require(customerId);
    const page = await repo.history(customerId, c.req.valid('query'));
    if (c.get('access').permissions.has('customer:contact')) return c.json(page, 200);
    return c.json({ ...page, items: page.items.map(maskContactInChanges) }, 200);
  },
);
