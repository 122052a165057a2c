import type { operations, Schemas } from '@aftersales/api-client';
import type { HttpClient, Versioned } from './client.ts';

/**
 * Response and request shapes of the endpoints the web app uses, as /openapi.json declares them
 * (generated into `@aftersales/api-client`, so they cannot drift from what the API answers).
 */
export type Me = Schemas['Me'];
export type AccessibleStore = Schemas['AccessibleStore'];
export type StoreProfile = Schemas['StoreSession'];
export type AuditPage = Schemas['AuditPage'];
export type CustomerVehicles = Schemas['CustomerVehiclePage'];
export type ImportJobs = Schemas['ImportJobPage'];
export type ImportRowErrors = Schemas['ImportRowErrorPage'];
export type CustomerChanges = Schemas['CustomerPatch'];
export type VehicleChanges = Schemas['VehiclePatch'];
type AddLinkRole = Schemas['AddLinkInput']['role'];

type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;
/** One look-up at a time: the document lets a search name one of `plate`, `vin` and `recent`. */
export type VehicleQuery =
  | Pick<Query<'listVehicles'>, 'plate'>
  | Pick<Query<'listVehicles'>, 'vin'>
  | { recent: 'true' };
export type CustomerQuery = Pick<Query<'listCustomers'>, 'phone'> | Pick<Query<'listCustomers'>, 'name'>;
type Paging = { cursor?: string; limit?: number };

export function getMe(http: HttpClient): Promise<Me> {
  return http.data(http.api.GET('/v1/me'));
}

/** Every endpoint under `/v1/stores/{storeId}`, typed. */
export class StoreApi {
  constructor(
    private readonly http: HttpClient,
    readonly storeId: string,
  ) {}

  /** Path parameters of the store, and of one record in it. */
  private at<P extends object = object>(path?: P): { path: { storeId: string } & P } {
    return { path: { storeId: this.storeId, ...(path as P) } };
  }

  /** Parameters of a create: an Idempotency-Key makes it safe to retry (the same key answers the first result). */
  private creating(idempotencyKey: string) {
    return { ...this.at(), header: { 'idempotency-key': idempotencyKey } };
  }

  /** Parameters of a change to a record read at `etag` (If-Match: a stale one is answered 409). */
  private changing<P extends object>(etag: string, path: P) {
    return { ...this.at(path), header: { 'if-match': etag } };
  }

  profile(): Promise<StoreProfile> {
    return this.http.data(this.http.api.GET('/v1/stores/{storeId}', { params: this.at() }));
  }

  // Customers (客户档案)

  searchCustomers(q: CustomerQuery & Paging, signal?: AbortSignal): Promise<Schemas['CustomerPage']> {
    return this.http.data(
      this.http.api.GET('/v1/stores/{storeId}/customers', { params: { ...this.at(), query: q }, signal }),
    );
  }

  createCustomer(
    input: Schemas['CustomerInput'],
    idempotencyKey: string,
  ): Promise<Versioned<Schemas['Customer']>> {
    return this.http.versioned(
      this.http.api.POST('/v1/stores/{storeId}/customers', {
        params: this.creating(idempotencyKey),
        body: input,
      }),
    );
  }

  customer(customerId: string): Promise<Versioned<Schemas['CustomerDetail']>> {
    return this.http.versioned(
      this.http.api.GET('/v1/stores/{storeId}/customers/{customerId}', { params: this.at({ customerId }) }),
    );
  }

  updateCustomer(
    customerId: string,
    changes: CustomerChanges,
    etag: string,
  ): Promise<Versioned<Schemas['Customer']>> {
    return this.http.versioned(
      this.http.api.PATCH('/v1/stores/{storeId}/customers/{customerId}', {
        params: this.changing(etag, { customerId }),
        body: changes,
      }),
    );
  }

  /** More of a customer's vehicles than the detail's first page (a fleet). */
  customerVehicles(customerId: string, cursor: string): Promise<CustomerVehicles> {
    return this.http.data(
      this.http.api.GET('/v1/stores/{storeId}/customers/{customerId}/vehicles', {
        params: { ...this.at({ customerId }), query: { cursor } },
      }),
    );
  }

  customerHistory(customerId: string, cursor?: string): Promise<AuditPage> {
    return this.http.data(
      this.http.api.GET('/v1/stores/{storeId}/customers/{customerId}/history', {
        params: { ...this.at({ customerId }), query: { cursor } },
      }),
    );
  }

  // Vehicles (车辆档案)

  searchVehicles(q: VehicleQuery & Paging, signal?: AbortSignal): Promise<Schemas['VehiclePage']> {
    return this.http.data(
      this.http.api.GET('/v1/stores/{storeId}/vehicles', { params: { ...this.at(), query: q }, signal }),
    );
  }

  createVehicle(
    input: Schemas['VehicleInput'],
    idempotencyKey: string,
  ): Promise<Versioned<Schemas['Vehicle']>> {
    return this.http.versioned(
      this.http.api.POST('/v1/stores/{storeId}/vehicles', {
        params: this.creating(idempotencyKey),
        body: input,
      }),
    );
  }

  vehicle(vehicleId: string): Promise<Versioned<Schemas['VehicleDetail']>> {
    return this.http.versioned(
      this.http.api.GET('/v1/stores/{storeId}/vehicles/{vehicleId}', { params: this.at({ vehicleId }) }),
    );
  }

  updateVehicle(
    vehicleId: string,
    changes: VehicleChanges,
    etag: string,
  ): Promise<Versioned<Schemas['Vehicle']>> {
    return this.http.versioned(
      this.http.api.PATCH('/v1/stores/{storeId}/vehicles/{vehicleId}', {
        params: this.changing(etag, { vehicleId }),
        body: changes,
      }),
    );
  }

  transferVehicle(
    vehicleId: string,
    newOwnerCustomerId: string,
    etag: string,
  ): Promise<Versioned<Schemas['Vehicle']>> {
    return this.http.versioned(
      this.http.api.POST('/v1/stores/{storeId}/vehicles/{vehicleId}/transfer', {
        params: this.changing(etag, { vehicleId }),
        body: { newOwnerCustomerId },
      }),
    );
  }

  linkCustomer(
    vehicleId: string,
    customerId: string,
    role: AddLinkRole,
    etag: string,
  ): Promise<Versioned<Schemas['Vehicle']>> {
    return this.http.versioned(
      this.http.api.POST('/v1/stores/{storeId}/vehicles/{vehicleId}/links', {
        params: this.changing(etag, { vehicleId }),
        body: { customerId, role },
      }),
    );
  }

  unlinkCustomer(
    vehicleId: string,
    customerId: string,
    role: AddLinkRole,
    etag: string,
  ): Promise<Versioned<Schemas['Vehicle']>> {
    return this.http.versioned(
      this.http.api.DELETE('/v1/stores/{storeId}/vehicles/{vehicleId}/links/{customerId}/{role}', {
        params: this.changing(etag, { vehicleId, customerId, role }),
      }),
    );
  }

  recordOdometer(vehicleId: string, km: number, etag: string): Promise<Versioned<Schemas['Vehicle']>> {
    return this.http.versioned(
      this.http.api.POST('/v1/stores/{storeId}/vehicles/{vehicleId}/odometer', {
        params: this.changing(etag, { vehicleId }),
        // `manual` is the API's default; the generated body type asks for it, as defaults are members.
        body: { km, source: 'manual' },
      }),
    );
  }

  vehicleHistory(vehicleId: string, cursor?: string): Promise<AuditPage> {
    return this.http.data(
      this.http.api.GET('/v1/stores/{storeId}/vehicles/{vehicleId}/history', {
        params: { ...this.at({ vehicleId }), query: { cursor } },
      }),
    );
  }

  // Imports (数据导入)

  startImport(fileName: string, csv: string): Promise<Schemas['ImportJob']> {
    return this.http.data(
      this.http.api.POST('/v1/stores/{storeId}/imports', { params: this.at(), body: { fileName, csv } }),
    );
  }

  imports(cursor?: string): Promise<ImportJobs> {
    return this.http.data(
      this.http.api.GET('/v1/stores/{storeId}/imports', {
        params: { ...this.at(), query: { cursor, limit: 20 } },
      }),
    );
  }

  importJob(importId: string, signal?: AbortSignal): Promise<Schemas['ImportJob']> {
    return this.http.data(
      this.http.api.GET('/v1/stores/{storeId}/imports/{importId}', { params: this.at({ importId }), signal }),
    );
  }

  importErrors(importId: string, cursor?: string): Promise<ImportRowErrors> {
    return this.http.data(
      this.http.api.GET('/v1/stores/{storeId}/imports/{importId}/errors', {
        params: { ...this.at({ importId }), query: { cursor } },
      }),
    );
  }

  /** Names of customers by id, cached for the session (vehicle lists carry only the owner's id). */
  private readonly names = new Map<string, Promise<string | undefined>>();

  customerName(id: string): Promise<string | undefined> {
    let name = this.names.get(id);
    if (!name) {
      name = this.customer(id).then(
        (r) => r.data.name,
        () => {
          this.names.delete(id); // not cached: a later look-up tries again
          return undefined;
        },
      );
      this.names.set(id, name);
    }
    return name;
  }

  rememberName(id: string, name: string): void {
    this.names.set(id, Promise.resolve(name));
  }
}
