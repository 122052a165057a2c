import {
  ConflictError,
  type CustomerVehicle,
  decideLinkAdded,
  decideLinkEnded,
  decideOdometerReading,
  decideOwnerChange,
  decideVehicleEdit,
  decideVehicleRegistration,
  type LinkRole,
  newId,
  type OdometerInput,
  OdometerReading,
  ValidationError,
  Vehicle,
  type VehicleDetail,
  type VehicleFields,
  VehicleLink,
  type VehicleListItem,
  type VehiclePatch,
  VersionConflictError,
  type VinPolicy,
} from '@aftersales/domain';
import * as z from 'zod';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import type { Page, PageRequest, TenantContext, TenantTable, TxOp } from '../platform/tenant-table.ts';
import { CUSTOMER, type Customers } from './customers.ts';

/** Readings shown with a vehicle, newest first; `moreOdometerReadings` says when there are older ones. */
export const DETAIL_READINGS = 20;

/** A stored reading: its sort key carries an id of its own, so two readings at one instant both stay. */
const StoredReading = OdometerReading.extend({ readingId: z.string().optional() });
type StoredReading = z.infer<typeof StoredReading>;

/**
 * 车辆档案. Keys, all from this declaration:
 * - vehicle    pk `<t>#VEH#<id>` sk `#VEH`; gsi1 `<t>#PLATE#<plate>`; gsi2 `<t>#VIN6#<last6>` / `<vin>`;
 *              gsi3 `<t>#VEHRECENT` / `<lastServedAt>#<id>` (sparse: only served vehicles)
 * - VIN guard  pk `<t>#VIN#<vin>` sk `#VIN`: one vehicle per VIN per store, enforced by a conditional put
 * - link       pk `<t>#VEH#<id>` sk `LINK#<role>#<customerId>#<since>`; gsi1 `<t>#CUS#<customerId>` /
 *              `VLINK#<vehicleId>#<role>#<since>` (a customer's vehicles)
 * - odometer   pk `<t>#VEH#<id>` sk `ODO#<readAt>#<id>`
 * A vehicle's item collection (vehicle, links, readings) is one Query; its audit entries sort after it.
 */
export const VEHICLE = defineAggregate({
  name: 'vehicle',
  label: 'Vehicle',
  idParam: 'vehicleId',
  prefix: 'VEH',
  recordSk: '#VEH',
  schema: Vehicle,
  indexes: {
    byPlate: {
      index: 'gsi1',
      prefix: 'PLATE',
      key: (v) => (v.plate ? { pk: [v.plate], sk: v.id } : undefined),
    },
    byVinSuffix: { index: 'gsi2', prefix: 'VIN6', key: (v) => ({ pk: [v.vin.slice(-6)], sk: v.vin }) },
    recentlyServed: {
      index: 'gsi3',
      prefix: 'VEHRECENT',
      key: (v) => (v.lastServedAt ? { pk: [], sk: `${v.lastServedAt}#${v.id}` } : undefined),
    },
  },
  lookups: {
    vin: {
      prefix: 'VIN',
      type: 'VinGuard',
      values: (v) => [v.vin],
      unique: (vin, existingVehicleId) =>
        new ConflictError(
          409,
          'VEHICLE_VIN_EXISTS',
          `A vehicle with VIN ${vin} is already registered in this store.`,
          {
            existingVehicleId,
          },
        ),
    },
  },
  children: {
    link: {
      skPrefix: 'LINK#',
      type: 'VehicleLink',
      schema: VehicleLink,
      sk: (l: VehicleLink) => `${l.role}#${l.customerId}#${l.since}`,
      index: {
        index: 'gsi1',
        pk: (l: VehicleLink) => [CUSTOMER.prefix, l.customerId],
        skPrefix: 'VLINK#',
        sk: (l: VehicleLink) => `${l.vehicleId}#${l.role}#${l.since}`,
      },
    },
    reading: {
      skPrefix: 'ODO#',
      type: 'OdometerReading',
      schema: StoredReading,
      sk: (r: StoredReading) => `${r.readAt}#${r.readingId ?? newId('odo')}`,
    },
  },
});

export class Vehicles extends AggregateRepository<typeof VEHICLE> {
  constructor(
    t: TenantTable,
    ctx: TenantContext,
    private readonly customers: Customers,
  ) {
    super(t, ctx, VEHICLE);
  }

  private customerExists(customerId: string, path: string): TxOp {
    return this.customers.existsCheck(
      customerId,
      () =>
        new ValidationError([
          { path, code: 'CUSTOMER_NOT_FOUND', message: `No customer ${customerId} in this store.` },
        ]),
    );
  }

  private linkOp(link: VehicleLink): TxOp {
    return { put: this.childItem('link', link.vehicleId, link) };
  }

  private readingOp(vehicleId: string, reading: OdometerReading): TxOp {
    return { put: this.childItem('reading', vehicleId, { ...reading, readingId: newId('odo') }) };
  }

  /**
   * Registers a vehicle: the VIN guard, the vehicle, its owner link, first odometer reading and audit
   * entry in one transaction. A VIN already registered in this store is a 409 naming that vehicle.
   */
  async create(
    fields: VehicleFields,
    opts: {
      vinPolicy: VinPolicy;
      idempotency?: IdempotencyRequest | undefined;
      action?: 'create' | 'import';
      lastServedAt?: string;
    },
  ): Promise<{ vehicle: Vehicle; created: boolean }> {
    const decision = decideVehicleRegistration(fields, {
      id: newId('veh'),
      storeId: this.t.tenantId,
      at: this.now().toISOString(),
      vinPolicy: opts.vinPolicy,
      source: opts.action === 'import' ? 'import' : 'registration',
      lastServedAt: opts.lastServedAt,
    });
    const { next, ownerLink, firstReading } = decision;
    const extra: TxOp[] = [];
    if (ownerLink)
      extra.push(this.customerExists(ownerLink.customerId, 'ownerCustomerId'), this.linkOp(ownerLink));
    if (firstReading) extra.push(this.readingOp(next.id, firstReading));
    const { record, created } = await this.createRecord(next, {
      ...decision,
      action: opts.action ?? 'create',
      extra,
      idempotency: opts.idempotency,
    });
    return { vehicle: record, created };
  }

  /** The vehicle with its links and odometer readings (one Query) and linked customers' names (one BatchGet). */
  async detail(id: string): Promise<VehicleDetail> {
    const [{ record: vehicle, children: links }, readings] = await Promise.all([
      this.withChildren(id, 'link'),
      this.children('reading', id, { newestFirst: true, limit: DETAIL_READINGS + 1 }),
    ]);
    const odometer = readings.items
      .slice(0, DETAIL_READINGS)
      .map(({ km, readAt, source }): OdometerReading => ({ km, readAt, source }));
    const names = new Map(
      (await this.customers.getMany([...new Set(links.map((l) => l.customerId))])).map((c) => [c.id, c.name]),
    );
    return {
      ...vehicle,
      links: links.map((l) => {
        const customerName = names.get(l.customerId);
        return customerName ? { ...l, customerName } : l;
      }),
      odometer,
      moreOdometerReadings: readings.items.length > DETAIL_READINGS,
    };
  }

  async findByPlate(plate: string, page: PageRequest): Promise<Page<VehicleListItem>> {
    return this.withOwners(await this.queryIndex('byPlate', [plate], page));
  }

  /** Full VIN or its last six characters: both are one Query on the VIN6 index. */
  async findByVin(vin: string, page: PageRequest): Promise<Page<VehicleListItem>> {
    return this.withOwners(
      await this.queryIndex('byVinSuffix', [vin.slice(-6)], {
        ...(vin.length === 17 ? { sk: { equals: vin } } : {}),
        ...page,
      }),
    );
  }

  /** Recently served vehicles, newest first. */
  async recent(page: PageRequest): Promise<Page<VehicleListItem>> {
    return this.withOwners(await this.queryIndex('recentlyServed', [], { newestFirst: true, ...page }));
  }

  /** One page of vehicles with their owners' names: one BatchGet for the whole page. */
  private async withOwners(page: Page<Vehicle>): Promise<Page<VehicleListItem>> {
    const owners = new Map(
      (
        await this.customers.getMany([
          ...new Set(page.items.flatMap((v) => (v.owner ? [v.owner.customerId] : []))),
        ])
      ).map((c) => [c.id, c.name]),
    );
    return {
      ...page,
      items: page.items.map((v) => {
        const ownerName = v.owner ? owners.get(v.owner.customerId) : undefined;
        return ownerName ? { ...v, ownerName } : v;
      }),
    };
  }

  async update(
    id: string,
    patch: VehiclePatch,
    expectedVersion: number,
    vinPolicy: VinPolicy,
  ): Promise<Vehicle> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideVehicleEdit(current, patch, vinPolicy, this.now().toISOString());
    return decision ? this.save(current, decision.next, decision) : current;
  }

  /** A new owner (过户): the old owner's link is closed, not deleted, so the vehicle keeps its history. */
  async transferOwnership(id: string, newOwnerId: string, expectedVersion: number): Promise<Vehicle> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideOwnerChange(current, newOwnerId, this.now().toISOString());
    const at = decision.next.updatedAt;
    const extra: TxOp[] = [
      this.customerExists(newOwnerId, 'newOwnerCustomerId'),
      this.linkOp({ vehicleId: id, customerId: newOwnerId, role: 'owner', since: at }),
    ];
    if (decision.endedOwner)
      extra.push(this.closeLinkOp({ vehicleId: id, role: 'owner', ...decision.endedOwner }, at));
    return this.save(current, decision.next, { ...decision, action: 'transfer', extra });
  }

  private closeLinkOp(link: VehicleLink, until: string): TxOp {
    return {
      update: this.childKey('link', link.vehicleId, link),
      changes: { set: { until } },
      names: { '#until': 'until' },
      condition: 'attribute_exists(pk) AND attribute_not_exists(#until)',
      onConditionFailed: () => new ConflictError(409, 'LINK_ALREADY_ENDED', 'That link was already ended.'),
    };
  }

  /** The vehicle at `expectedVersion` and its current (not ended) links. */
  private async currentWithLinks(
    id: string,
    expectedVersion: number,
  ): Promise<{ current: Vehicle; links: VehicleLink[] }> {
    const { record, children } = await this.withChildren(id, 'link');
    if (record.version !== expectedVersion) throw new VersionConflictError('Vehicle', id, record.version);
    return { current: record, links: children.filter((l) => l.until === undefined) };
  }

  /** Adds a driver (送修人) or fleet contact. */
  async addLink(
    id: string,
    customerId: string,
    role: Exclude<LinkRole, 'owner'>,
    expectedVersion: number,
  ): Promise<Vehicle> {
    const { current, links } = await this.currentWithLinks(id, expectedVersion);
    const decision = decideLinkAdded(current, links, customerId, role, this.now().toISOString());
    return this.save(current, decision.next, {
      ...decision,
      action: 'link',
      extra: [
        this.customerExists(customerId, 'customerId'),
        this.linkOp({ vehicleId: id, customerId, role, since: decision.next.updatedAt }),
      ],
    });
  }

  async endLink(
    id: string,
    customerId: string,
    role: Exclude<LinkRole, 'owner'>,
    expectedVersion: number,
  ): Promise<Vehicle> {
    const { current, links } = await this.currentWithLinks(id, expectedVersion);
    const decision = decideLinkEnded(current, links, customerId, role, this.now().toISOString());
    const { link, next } = decision;
    return this.save(current, next, {
      ...decision,
      action: 'unlink',
      extra: [this.closeLinkOp(link, next.updatedAt)],
    });
  }

  /**
   * Records a reading, judged against the readings just before and after it in time (two Queries of one
   * item each, in parallel with the vehicle's read): readings only go up in time, whatever order they
   * are typed in. The vehicle's `lastOdometerKm` follows the latest reading in time.
   */
  async recordOdometer(id: string, input: OdometerInput, expectedVersion: number): Promise<Vehicle> {
    const now = this.now();
    const reading: OdometerReading = {
      km: input.km,
      readAt: input.readAt ?? now.toISOString(),
      source: input.source,
    };
    const [current, neighbours] = await Promise.all([
      this.requireVersion(id, expectedVersion),
      this.readingsAround(id, reading.readAt),
    ]);
    const { next, ops } = this.odometerChange(current, reading, neighbours);
    await this.t.transact(ops);
    return next;
  }

  /**
   * A reading of a vehicle already read, judged against its neighbours (`readingsAround`), as operations
   * for another aggregate's transaction (the repair order's check-in records its odometer).
   */
  odometerChange(
    current: Vehicle,
    reading: OdometerReading,
    neighbours: Awaited<ReturnType<Vehicles['readingsAround']>>,
  ): { next: Vehicle; ops: TxOp[] } {
    const decision = decideOdometerReading(current, reading, neighbours, this.now());
    const ops = this.saveOps(current, decision.next, {
      ...decision,
      action: 'odometer',
      extra: [this.readingOp(current.id, reading)],
    });
    return { next: decision.next, ops };
  }

  /** The latest reading at or before `readAt` and the earliest after it. */
  async readingsAround(id: string, readAt: string) {
    // `~` sorts after every character of a reading's sort key (ISO time, `#`, id).
    const cut = `${readAt}#~`;
    const [before, after] = await Promise.all([
      this.children('reading', id, { sk: { between: ['', cut] }, newestFirst: true, limit: 1 }),
      this.children('reading', id, { sk: { between: [cut, '~'] }, limit: 1 }),
    ]);
    const point = (r: StoredReading | undefined) => (r ? { km: r.km, readAt: r.readAt } : undefined);
    return { before: point(before.items[0]), after: point(after.items[0]) };
  }

  /** A page of a customer's vehicles (current and past links): one Query on the link index, one BatchGet. */
  async ofCustomer(customerId: string, page: PageRequest): Promise<Page<CustomerVehicle>> {
    const out = await this.childrenIn('link', [CUSTOMER.prefix, customerId], { limit: 50, ...page });
    const links = out.items;
    const vehicles = new Map(
      (await this.getMany([...new Set(links.map((l) => l.vehicleId))])).map((v) => [v.id, v]),
    );
    const items = links.flatMap((l): CustomerVehicle[] => {
      const v = vehicles.get(l.vehicleId);
      if (!v) return [];
      const { id, vin, plate, brand, model } = v;
      return [
        {
          role: l.role,
          since: l.since,
          ...(l.until ? { until: l.until } : {}),
          vehicle: { id, vin, ...(plate ? { plate } : {}), brand, model },
        },
      ];
    });
    return out.nextCursor ? { items, nextCursor: out.nextCursor } : { items };
  }
}
