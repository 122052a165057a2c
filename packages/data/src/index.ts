import { optionalEnv, requireEnv } from '@aftersales/runtime';
import { s3Client, TenantClientVendor } from './clients.ts';
import { Customers } from './customers.ts';
import { Directory } from './directory.ts';
import { GroupFigures } from './group-figures.ts';
import { RegistryImports } from './imports.ts';
import { type TenantContext, TenantTable } from './tenant-table.ts';
import { ImportUploads } from './uploads.ts';
import { Vehicles } from './vehicles.ts';

export * from './aggregate.ts';
export * from './clients.ts';
export * from './customers.ts';
export * from './directory.ts';
export * from './due.ts';
export * from './events.ts';
export * from './group-figures.ts';
export * from './hq-projector.ts';
export * from './idempotency.ts';
export * from './imports.ts';
export * from './keys.ts';
export * from './queue.ts';
export * from './table.ts';
export * from './tenant-table.ts';
export * from './uploads.ts';
export * from './vehicles.ts';

/** A repository class: built from the tenant's table and context, like every `AggregateRepository`. */
export type RepositoryClass<R> = new (table: TenantTable, ctx: TenantContext) => R;

/** Everything one tenant's request may touch, all bound to that tenant. */
export interface TenantData {
  table: TenantTable;
  customers: Customers;
  vehicles: Vehicles;
  imports: RegistryImports;
  /**
   * Any repository, bound to this tenant (one instance per request): a new aggregate's repository is
   * reached as `tenant.repo(RepairOrders)`, with nothing to wire here.
   */
  repo<R>(Repository: RepositoryClass<R>): R;
  /** The store's CSV uploads (keys built from the store's id). */
  uploads: ImportUploads;
}

export interface DataConfig {
  tableName: string;
  /** In AWS: the role whose sessions are narrowed to one tenant. Unset locally (no IAM in DynamoDB Local). */
  tenantAccessRoleArn?: string | undefined;
  /** The S3 bucket of uploads (`UPLOAD_BUCKET`); the API requires it, functions that take no uploads do not. */
  uploadBucket?: string | undefined;
}

/** The entry to all data: the platform directory, and per-tenant repositories. */
export class DataAccess {
  readonly directory: Directory;
  private readonly vendor: TenantClientVendor;

  constructor(readonly config: DataConfig) {
    this.vendor = new TenantClientVendor(config.tenantAccessRoleArn);
    this.directory = new Directory(this.vendor.base, config.tableName);
  }

  /** A group's HQ figures (its own partition), reached with a session narrowed to that group. */
  groupFigures(groupId: string): GroupFigures {
    return new GroupFigures(new TenantTable(groupId, this.vendor.clientFor(groupId), this.config.tableName));
  }

  forTenant(ctx: TenantContext): TenantData {
    const table = new TenantTable(ctx.tenantId, this.vendor.clientFor(ctx.tenantId), this.config.tableName);
    const customers = new Customers(table, ctx);
    const made = new Map<RepositoryClass<unknown>, unknown>();
    return {
      table,
      customers,
      vehicles: new Vehicles(table, ctx, customers),
      imports: new RegistryImports(table, ctx),
      repo<R>(Repository: RepositoryClass<R>): R {
        if (!made.has(Repository)) made.set(Repository, new Repository(table, ctx));
        return made.get(Repository) as R;
      },
      uploads: new ImportUploads(s3Client(), this.config.uploadBucket, ctx.tenantId),
    };
  }
}

/** Reads TABLE_NAME (required), TENANT_ACCESS_ROLE_ARN and UPLOAD_BUCKET at cold start. */
export function dataAccessFromEnv(env: NodeJS.ProcessEnv = process.env): DataAccess {
  return new DataAccess({
    tableName: requireEnv('TABLE_NAME', env),
    tenantAccessRoleArn: optionalEnv('TENANT_ACCESS_ROLE_ARN', env),
    uploadBucket: optionalEnv('UPLOAD_BUCKET', env),
  });
}
