import { CUSTOMER, type CustomerRecord, type Page, type PageRequest } from '@aftersales/data';
import { type AuditEntry, type Customer, maskPhone } from '@aftersales/domain';
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

/** A page of customers whose name starts with `prefix` (all, A–Z, for none), as the caller may see them. */
async function byName(c: Context<AppEnv>, prefix: string, page: PageRequest): Promise<Page<Customer>> {
  const found = await c.get('tenant').customers.searchByName(prefix, { ...page, limit: page.limit ?? 25 });
  const contact = canContact(c);
  return { ...found, items: found.items.map((x) => presentCustomer(x, contact)) };
}

customers.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'listCustomers',
    permission: 'registry:read',
    tags: ['Customers'],
    summary: 'Every customer, A–Z, page by page',
    description:
      'Look-ups by name or phone are `POST …/customers/search` and `POST …/customers/phone-search`: a name or a number is personal data and stays out of URLs (and so out of access logs). Any other query parameter is a 400. For roles without `customer:contact`, phone numbers are masked (at most half of each shown) and e-mail, contact person and notes are left out.',
    // Strict: a `?name=` or `?phone=` of an older client is refused, not silently ignored.
    request: { params: StoreParams, query: z.strictObject(PageQuery.shape) },
    responses: { 200: json(Pages.CustomerPage, 'Customers, A–Z') },
  },
  async (c) => c.json(await byName(c, '', c.req.valid('query')), 200),
);

customers.openapi(
  {
    method: 'post',
    path: '/search',
    operationId: 'searchCustomers',
    permission: 'registry:read',
    readOnly: true,
    tags: ['Customers'],
    summary: 'Find customers by the start of their name, A–Z, paged',
    description:
      'A search, not a create: the name is sent in the body so that it is in no URL (access logs keep URLs), and no `Idempotency-Key` is taken. `nextCursor` continues this same search (send it with the same `name`); it is opaque and holds no name. For roles without `customer:contact`, phone numbers are masked (at most half of each shown) and e-mail, contact person and notes are left out.',
    request: {
      params: StoreParams,
      body: { required: true, content: { 'application/json': { schema: Bodies.CustomerNameSearch } } },
    },
    responses: { 200: json(Pages.CustomerPage, 'Matching customers, A–Z') },
  },
  async (c) => {
    const { name, ...page } = c.req.valid('json');
    return c.json(await byName(c, name.trim(), page), 200);
  },
);

customers.openapi(
  {
    method: 'post',
    path: '/phone-search',
    operationId: 'searchCustomersByPhone',
    // Not `registry:read`: an answer confirms a number. A role that sees `138****8000` could otherwise
    // try the 10⁴ candidates and learn the whole number from which one finds the customer.
    permission: 'customer:contact',
    readOnly: true,
    tags: ['Customers'],
    summary: 'Find the customers who hold a phone number (roles that contact customers only)',
    description:
      'Needs `customer:contact`, not only `registry:read`: whether a number finds a customer tells the caller that number. A role that sees phones masked (at most half of the digits) could otherwise recover a whole number by trying the hidden digits (10⁴ look-ups for a mobile), so even an answer limited to exact matches would leak; such roles find customers by name or by their vehicle. The number is sent in the body, so that it is in no URL (access logs keep URLs); no `Idempotency-Key` is taken. Every holder of the number, in one page.',
    request: {
      params: StoreParams,
      body: { required: true, content: { 'application/json': { schema: Bodies.CustomerPhoneSearch } } },
    },
    responses: { 200: json(Pages.CustomerPage, 'The customers holding that number') },
  },
  async (c) => {
    const found = await c.get('tenant').customers.findByPhone(c.req.valid('json').phone);
    const contact = canContact(c);
    return c.json({ items: found.map((x) => presentCustomer(x, contact)) }, 200);
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
