import type {
  AuditEntry,
  Customer,
  CustomerDetail,
  CustomerInput,
  CustomerPatch,
  ImportJob,
  ImportRowError,
  LinkRole,
  Membership,
  Permission,
  Role,
  Store,
  UserProfile,
  Vehicle,
  VehicleDetail,
  VehicleInput,
  VehicleListItem,
  VehiclePatch,
} from '@aftersales/domain';
import type { HttpClient, Versioned } from './client.ts';

/** Response shapes of the endpoints the web app uses (the API builds them from the same domain schemas). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface AccessibleStore {
  id: string;
  name: string;
  roles: Role[];
  permissions: Permission[];
  via: 'member' | 'group';
}

export interface Me {
  user: UserProfile;
  memberships: Membership[];
  stores: AccessibleStore[];
}

export interface StoreProfile {
  store: Store;
  roles: Role[];
  permissions: Permission[];
  via: 'member' | 'group';
}

export type CreatedImport = ImportJob;

export type VehicleQuery = { plate: string } | { vin: string } | { recent: true };
export type CustomerQuery = { phone: string } | { name: string };
export type CustomerChanges = CustomerPatch;
export type VehicleChanges = VehiclePatch;

export function getMe(http: HttpClient): Promise<Me> {
  return http.get<Me>('/v1/me');
}

/** Every endpoint under `/v1/stores/{storeId}`, typed. */
export class StoreApi {
  private readonly base: string;

  constructor(
    private readonly http: HttpClient,
    readonly storeId: string,
  ) {
    this.base = `/v1/stores/${encodeURIComponent(storeId)}`;
  }

  private path(...parts: string[]): string {
    return [this.base, ...parts.map(encodeURIComponent)].join('/');
  }

  profile(): Promise<StoreProfile> {
    return this.http.get<StoreProfile>(this.base);
  }

  // Customers (客户档案)

  searchCustomers(
    q: CustomerQuery & { cursor?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<Page<Customer>> {
    return this.http.get<Page<Customer>>(this.path('customers'), q, signal);
  }

  async createCustomer(input: CustomerInput, idempotencyKey: string): Promise<Versioned<Customer>> {
    return this.http.request<Customer>('POST', this.path('customers'), { body: input, idempotencyKey });
  }

  customer(id: string): Promise<Versioned<CustomerDetail>> {
    return this.http.request<CustomerDetail>('GET', this.path('customers', id));
  }

  updateCustomer(id: string, changes: CustomerChanges, etag: string): Promise<Versioned<Customer>> {
    return this.http.request<Customer>('PATCH', this.path('customers', id), { body: changes, ifMatch: etag });
  }

  customerHistory(id: string, cursor?: string): Promise<Page<AuditEntry>> {
    return this.http.get<Page<AuditEntry>>(this.path('customers', id, 'history'), { cursor });
  }

  // Vehicles (车辆档案)

  searchVehicles(
    q: VehicleQuery & { cursor?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<Page<Vehicle>> {
    return this.http.get<Page<VehicleListItem>>(this.path('vehicles'), q, signal);
  }

  createVehicle(input: VehicleInput, idempotencyKey: string): Promise<Versioned<Vehicle>> {
    return this.http.request<Vehicle>('POST', this.path('vehicles'), { body: input, idempotencyKey });
  }

  vehicle(id: string): Promise<Versioned<VehicleDetail>> {
    return this.http.request<VehicleDetail>('GET', this.path('vehicles', id));
  }

  updateVehicle(id: string, changes: VehicleChanges, etag: string): Promise<Versioned<Vehicle>> {
    return this.http.request<Vehicle>('PATCH', this.path('vehicles', id), { body: changes, ifMatch: etag });
  }

  transferVehicle(id: string, newOwnerCustomerId: string, etag: string): Promise<Versioned<Vehicle>> {
    return this.http.request<Vehicle>('POST', this.path('vehicles', id, 'transfer'), {
      body: { newOwnerCustomerId },
      ifMatch: etag,
    });
  }

  linkCustomer(
    id: string,
    customerId: string,
    role: Exclude<LinkRole, 'owner'>,
    etag: string,
  ): Promise<Versioned<Vehicle>> {
    return this.http.request<Vehicle>('POST', this.path('vehicles', id, 'links'), {
      body: { customerId, role },
      ifMatch: etag,
    });
  }

  unlinkCustomer(
    id: string,
    customerId: string,
    role: Exclude<LinkRole, 'owner'>,
    etag: string,
  ): Promise<Versioned<Vehicle>> {
    return this.http.request<Vehicle>('DELETE', this.path('vehicles', id, 'links', customerId, role), {
      ifMatch: etag,
    });
  }

  recordOdometer(id: string, km: number, etag: string): Promise<Versioned<Vehicle>> {
    return this.http.request<Vehicle>('POST', this.path('vehicles', id, 'odometer'), {
      body: { km },
      ifMatch: etag,
    });
  }

  vehicleHistory(id: string, cursor?: string): Promise<Page<AuditEntry>> {
    return this.http.get<Page<AuditEntry>>(this.path('vehicles', id, 'history'), { cursor });
  }

  // Imports (数据导入)

  async startImport(fileName: string, csv: string): Promise<CreatedImport> {
    return (await this.http.request<CreatedImport>('POST', this.path('imports'), { body: { fileName, csv } }))
      .data;
  }

  imports(cursor?: string): Promise<Page<ImportJob>> {
    return this.http.get<Page<ImportJob>>(this.path('imports'), { cursor, limit: 20 });
  }

  importJob(id: string, signal?: AbortSignal): Promise<ImportJob> {
    return this.http.get<ImportJob>(this.path('imports', id), undefined, signal);
  }

  importErrors(id: string, cursor?: string): Promise<Page<ImportRowError>> {
    return this.http.get<Page<ImportRowError>>(this.path('imports', id, 'errors'), { cursor });
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
