import type { Schemas } from '@aftersales/api-client';
import type { Paging, StoreClient } from '../api/store.ts';

/** 客户档案 calls, on the shared store client; request and answer types come from the generated document. */

/**
 * One look-up at a time: by phone or by the start of the name. Both go in a request body: a number or
 * a name is personal data, kept out of URLs (and so out of access logs).
 */
export type CustomerQuery = Schemas['CustomerPhoneSearch'] | Pick<Schemas['CustomerNameSearch'], 'name'>;
export type CustomerChanges = Schemas['CustomerPatch'];

/**
 * By phone (every holder, one page; roles with `customer:contact` only) or by name (A–Z, paged: a
 * `cursor` continues the same name's search).
 */
export function searchCustomers(s: StoreClient, q: CustomerQuery & Paging, signal?: AbortSignal) {
  if ('phone' in q)
    return s.data(
      s.api.POST('/v1/stores/{storeId}/customers/phone-search', {
        params: s.at(),
        body: { phone: q.phone },
        signal,
      }),
    );
  const { name, cursor, limit } = q;
  return s.data(
    s.api.POST('/v1/stores/{storeId}/customers/search', {
      params: s.at(),
      body: { name, ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) },
      signal,
    }),
  );
}

export function createCustomer(s: StoreClient, input: Schemas['CustomerInput'], idempotencyKey: string) {
  return s.versioned(
    s.api.POST('/v1/stores/{storeId}/customers', { params: s.creating(idempotencyKey), body: input }),
  );
}

export function getCustomer(s: StoreClient, customerId: string) {
  return s.versioned(
    s.api.GET('/v1/stores/{storeId}/customers/{customerId}', { params: s.at({ customerId }) }),
  );
}

export function updateCustomer(s: StoreClient, customerId: string, changes: CustomerChanges, etag: string) {
  return s.versioned(
    s.api.PATCH('/v1/stores/{storeId}/customers/{customerId}', {
      params: s.changing(etag, { customerId }),
      body: changes,
    }),
  );
}

/** More of a customer's vehicles than the detail's first page (a fleet). */
export function customerVehicles(s: StoreClient, customerId: string, cursor: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/customers/{customerId}/vehicles', {
      params: { ...s.at({ customerId }), query: { cursor } },
    }),
  );
}

export function customerHistory(s: StoreClient, customerId: string, cursor?: string) {
  return s.data(
    s.api.GET('/v1/stores/{storeId}/customers/{customerId}/history', {
      params: { ...s.at({ customerId }), query: { cursor } },
    }),
  );
}

/** Names of customers by id, per store for the session (vehicle lists carry only the owner's id). */
const names = new WeakMap<StoreClient, Map<string, Promise<string | undefined>>>();

function namesOf(s: StoreClient): Map<string, Promise<string | undefined>> {
  let known = names.get(s);
  if (!known) {
    known = new Map();
    names.set(s, known);
  }
  return known;
}

export function customerName(s: StoreClient, id: string): Promise<string | undefined> {
  const known = namesOf(s);
  let name = known.get(id);
  if (!name) {
    name = getCustomer(s, id).then(
      (r) => r.data.name,
      () => {
        known.delete(id); // not cached: a later look-up tries again
        return undefined;
      },
    );
    known.set(id, name);
  }
  return name;
}

export function rememberName(s: StoreClient, id: string, name: string): void {
  namesOf(s).set(id, Promise.resolve(name));
}
