import type { CustomerRecord } from '@aftersales/data';
import {
  AuditEntry,
  Customer,
  CustomerDetail,
  CustomerInput,
  CustomerPatch,
  CustomerSearch,
  maskPhone,
  ValidationError,
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

/** Customers (客户档案): search, create, read, edit, history. */
export const customers = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const CustomerParams = StoreParams.extend({
  customerId: z.string().openapi({ param: { name: 'customerId', in: 'path' } }),
});

/** Phone numbers are shown in full only to roles that contact customers. */
export function presentCustomer(c: CustomerRecord, canContact: boolean): Customer {
  return {
    ...c,
    phones: canContact ? c.phones : c.phones.map((p) => ({ ...p, number: maskPhone(p.number) })),
    phonesMasked: !canContact,
  };
}

/** History shows phone changes too: mask them for the same roles the record masks them for. */
function maskPhonesInChanges(entry: AuditEntry): AuditEntry {
  const mask = (v: unknown) =>
    Array.isArray(v)
      ? v.map((p: { number?: unknown }) => ({ ...p, number: maskPhone(String(p.number ?? '')) }))
      : v;
  return {
    ...entry,
    changes: entry.changes.map((ch) =>
      ch.field === 'phones' ? { ...ch, from: mask(ch.from), to: mask(ch.to) } : ch,
    ),
  };
}

customers.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['Customers'],
    summary: 'Search customers by phone or name prefix (A–Z list without either)',
    request: {
      params: StoreParams,
      query: PageQuery.extend({ phone: z.string().optional(), name: z.string().optional() }),
    },
    responses: { 200: json(pageOf(Customer), 'Matching customers'), ...errorResponses },
  }),
  async (c) => {
    authorize(c, 'registry:read');
    const q = c.req.valid('query');
    const canContact = c.get('access').permissions.has('customer:contact');
    const { customers: repo } = c.get('tenant');
    if (q.phone !== undefined) {
      const search = CustomerSearch.safeParse({ phone: q.phone });
      if (!search.success || !('phone' in search.data)) {
        throw new ValidationError([
          { path: 'phone', message: 'Give at least 5 digits of the phone number.' },
        ]);
      }
      const found = await repo.findByPhone(search.data.phone);
      return c.json({ items: found.map((x) => presentCustomer(x, canContact)) }, 200);
    }
    const page = await repo.searchByName(q.name?.trim() ?? '', { cursor: q.cursor, limit: q.limit ?? 25 });
    return c.json({ ...page, items: page.items.map((x) => presentCustomer(x, canContact)) }, 200);
  },
);

customers.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['Customers'],
    summary: 'Create a customer',
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: CustomerInput } } },
    },
    responses: {
      201: json(Customer, 'Created (or, for a repeated Idempotency-Key, the first result)'),
      ...errorResponses,
    },
  }),
  async (c) => {
    authorize(c, 'registry:write');
    const body = c.req.valid('json');
    const { customer, created } = await c
      .get('tenant')
      .customers.create(body, { idempotency: idempotency(c, body) });
    c.header('etag', etag(customer.version));
    c.header('location', `${c.req.path.replace(/\/$/, '')}/${customer.id}`);
    if (!created) c.header('idempotent-replayed', 'true');
    return c.json(presentCustomer(customer, true), 201);
  },
);

customers.openapi(
  createRoute({
    method: 'get',
    path: '/{customerId}',
    tags: ['Customers'],
    summary: 'A customer with their vehicles',
    request: { params: CustomerParams },
    responses: { 200: json(CustomerDetail, 'The customer'), ...errorResponses },
  }),
  async (c) => {
    authorize(c, 'registry:read');
    const { customerId } = c.req.valid('param');
    const { customers: repo, vehicles } = c.get('tenant');
    const [customer, linked] = await Promise.all([repo.require(customerId), vehicles.ofCustomer(customerId)]);
    c.header('etag', etag(customer.version));
    return c.json(
      { ...presentCustomer(customer, c.get('access').permissions.has('customer:contact')), vehicles: linked },
      200,
    );
  },
);

customers.openapi(
  createRoute({
    method: 'patch',
    path: '/{customerId}',
    tags: ['Customers'],
    summary: 'Edit a customer (If-Match required)',
    request: {
      params: CustomerParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: CustomerPatch } } },
    },
    responses: { 200: json(Customer, 'The updated customer'), ...errorResponses, ...conflictResponses },
  }),
  async (c) => {
    authorize(c, 'registry:write');
    const { customerId } = c.req.valid('param');
    const updated = await c
      .get('tenant')
      .customers.update(customerId, c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(updated.version));
    return c.json(presentCustomer(updated, true), 200);
  },
);

customers.openapi(
  createRoute({
    method: 'get',
    path: '/{customerId}/history',
    tags: ['Customers'],
    summary: 'Who changed this customer, when, and what',
    request: { params: CustomerParams, query: PageQuery },
    responses: { 200: json(pageOf(AuditEntry), 'Audit entries, newest first'), ...errorResponses },
  }),
  async (c) => {
    authorize(c, 'audit:read');
    const { customerId } = c.req.valid('param');
    const { customers: repo } = c.get('tenant');
    await repo.require(customerId);
    const page = await repo.history(customerId, c.req.valid('query'));
    if (c.get('access').permissions.has('customer:contact')) return c.json(page, 200);
    return c.json({ ...page, items: page.items.map(maskPhonesInChanges) }, 200);
  },
);
