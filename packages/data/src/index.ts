import { optionalEnv, requireEnv } from '@aftersales/runtime';
import { GroupRooms } from './appointments/rooms.ts';
import { GroupFigures } from './hq/figures.ts';
import { Imports } from './imports/imports.ts';
import { ImportUploads } from './imports/uploads.ts';
import { TenantClientVendor } from './platform/clients.ts';
import { CursorSeal } from './platform/cursor.ts';
import { Directory } from './platform/directory.ts';
import { TenantBucket } from './platform/objects.ts';
import { RequestCounters } from './platform/request-counters.ts';
import { type TenantContext, TenantTable } from './platform/tenant-table.ts';
import { Customers } from './registry/customers.ts';
import { Vehicles } from './registry/vehicles.ts';

// The platform, then each capability's folder (a new one is reached as `@aftersales/data/<folder>`).
export * from './hq/index.ts';
export * from './imports/index.ts';
export * from './platform/index.ts';
export * from './registry/index.ts';

/** A repository class: built from the tenant's table and context, like every `AggregateRepository`. */
export type RepositoryClass<R> = new (table: TenantTable, ctx: TenantContext) => R;

/** Everything one tenant's request may touch, all bound to that tenant. */
export interface TenantData {
  table: TenantTable;
  customers: Customers;
  vehicles: Vehicles;
  imports: Imports;
  /**
   * Any repository, bound to this tenant (one instance per request): a new aggregate's repository is
   * reached as `tenant.repo(RepairOrders)`, with nothing to wire here.
   */
  repo<R>(Repository: RepositoryClass<R>): R;
  /** The store's CSV uploads (keys built from the store's id). */
  uploads: ImportUploads;
  /** The store's objects in the uploads bucket (import files, photos): every key under its own id. */
  bucket: TenantBucket;
  /** The clock this tenant's writes are stamped with. */
  now: () => Date;
}

export interface DataConfig {
  tableName: string;
  /** In AWS: the role whose sessions are narrowed to one tenant. Unset locally (no IAM in DynamoDB Local). */
  tenantAccessRoleArn?: string | undefined;
  /** In AWS: the role whose sessions are narrowed to one store's uploads. Unset locally (the S3 server has no IAM). */
  uploadsRoleArn?: string | undefined;
  /** The S3 bucket of uploads (`UPLOAD_BUCKET`); the API requires it, functions that take no uploads do not. */
  uploadBucket?: string | undefined;
  /** The clock every write is stamped with (the system's by default); repositories never read one. */
  clock?: () => Date;
  /**
   * The secret page cursors are sealed with (`CURSOR_SECRET`): the API requires it, so that a cursor
   * one instance issued opens in another. Without it, a key of this process (workers page within one run).
   */
  cursorSecret?: string | undefined;
}

/**
 * Whose data and who acts; the clock is the data access's unless the caller brings one. `readOnly`: the
 * session may only read (HQ looking into one of its stores), so a write fails in IAM, not only in code.
 */
export type TenantRequest = Omit<TenantContext, 'now'> &
  Partial<Pick<TenantContext, 'now'>> & { readOnly?: boolean };

const systemClock = () => new Date();

/** The entry to all data: the platform directory, and per-tenant repositories. */
export class DataAccess {
  readonly directory: Directory;
  private readonly vendor: TenantClientVendor;
  private readonly cursors: CursorSeal | undefined;

  constructor(readonly config: DataConfig) {
    this.vendor = new TenantClientVendor(config);
    this.cursors = config.cursorSecret === undefined ? undefined : new CursorSeal(config.cursorSecret);
    this.directory = new Directory(this.vendor.base, config.tableName);
  }

  /** A group's HQ figures (its own partition), reached with a session narrowed to that group. */
  groupFigures(groupId: string): GroupFigures {
    return new GroupFigures(this.table(groupId));
  }

  /** A group's rooms by day (its own partition: 集团内调剂), reached with a session narrowed to that group. */
  groupRooms(groupId: string): GroupRooms {
    return new GroupRooms(this.table(groupId));
  }

  private table(tenantId: string): TenantTable {
    return new TenantTable(tenantId, this.vendor.clientFor(tenantId), this.config.tableName, this.cursors);
  }

  /** A tenant's request counters (the API's limits), reached with a session narrowed to that tenant. */
  requestCounters(tenantId: string): RequestCounters {
    return new RequestCounters(this.table(tenantId));
  }

  forTenant(request: TenantRequest): TenantData {
    const ctx: TenantContext = { ...request, now: request.now ?? this.config.clock ?? systemClock };
    const client = this.vendor.clientFor(ctx.tenantId, request.readOnly ? 'read-only' : 'read-write');
    const table = new TenantTable(ctx.tenantId, client, this.config.tableName, this.cursors);
    const customers = new Customers(table, ctx);
    const made = new Map<RepositoryClass<unknown>, unknown>();
    const bucket = new TenantBucket(
      this.vendor.uploadsFor(ctx.tenantId),
      this.config.uploadBucket,
      ctx.tenantId,
    );
    return {
      table,
      customers,
      vehicles: new Vehicles(table, ctx, customers),
      imports: new Imports(table, ctx),
      repo<R>(Repository: RepositoryClass<R>): R {
        if (!made.has(Repository)) made.set(Repository, new Repository(table, ctx));
        return made.get(Repository) as R;
      },
      uploads: new ImportUploads(bucket),
      bucket,
      now: ctx.now,
    };
  }
}

/** Reads TABLE_NAME (required), TENANT_ACCESS_ROLE_ARN, UPLOADS_ROLE_ARN, UPLOAD_BUCKET and CURSOR_SECRET at cold start. */
export function dataAccessFromEnv(env: NodeJS.ProcessEnv = process.env): DataAccess {
  return new DataAccess({
    tableName: requireEnv('TABLE_NAME', env),
    tenantAccessRoleArn: optionalEnv('TENANT_ACCESS_ROLE_ARN', env),
    uploadsRoleArn: optionalEnv('UPLOADS_ROLE_ARN', env),
    uploadBucket: optionalEnv('UPLOAD_BUCKET', env),
    cursorSecret: optionalEnv('CURSOR_SECRET', env),
  });
}
