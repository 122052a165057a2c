import {
  ConflictError,
  type CustomerVehicle,
  decideLinkAdded,
  decideLinkEnded,
  decideOdometerReading,
  decideOwnerChange,
  decideVehicleEdit,
  defaultWarrantyStart,
  diffRecords,
  type LinkRole,
  NotFoundError,
  newEvent,
  newId,
  type OdometerInput,
  type OdometerReading,
  ValidationError,
  Vehicle,
  type VehicleDetail,
  type VehicleFields,
  type VehicleLink,
  type VehicleListItem,
  type VehiclePatch,
  VersionConflictError,
  type VinPolicy,
  validateVehicle,
} from '@aftersales/domain';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import { KEY_PREFIXES } from '../platform/keys.ts';
import {
  type Item,
  type Page,
  type PageRequest,
  stripKeys,
  type TenantContext,
  type TenantTable,
  type TxOp,
} from '../platform/tenant-table.ts';
import type { Customers } from './customers.ts';

/**
 * Keys:
 * - vehicle    pk `<t>#VEH#<id>` sk `#VEH`; gsi1 `<t>#PLATE#<plate>`; gsi2 `<t>#VIN6#<last6>` / `<vin>`;
 *              gsi3 `<t>#VEHRECENT` / `<lastServedAt>#<id>` (sparse: only served vehicles)
 * - VIN guard  pk `<t>#VIN#<vin>` sk `#VIN`: one vehicle per VIN per store, enforced by a conditional put
 * - link       pk `<t>#VEH#<id>` sk `LINK#<role>#<customerId>#<since>`; gsi1 `<t>#CUS#<customerId>` (their vehicles)
 * - odometer   pk `<t>#VEH#<id>` sk `ODO#<readAt>#<id>`
 * A vehicle's item collection (vehicle, links, readings) is one Query; its audit entries sort after it.
 */
/** Readings shown with a vehicle, newest first; `moreOdometerReadings` says when there are older ones. */
export const DETAIL_READINGS = 20;

export const VEHICLE = defineAggregate({
  name: 'vehicle',
  label: 'Vehicle',
  prefix: KEY_PREFIXES.vehicle,
  recordSk: '#VEH',
  schema: Vehicle,
  indexes: (v) => ({
    ...(v.plate ? { gsi1: { pk: [KEY_PREFIXES.plate, v.plate], sk: v.id } } : {}),
    gsi2: { pk: [KEY_PREFIXES.vinSuffix, v.vin.slice(-6)], sk: v.vin },
    ...(v.lastServedAt
      ? { gsi3: { pk: [KEY_PREFIXES.vehicleRecent], sk: `${v.lastServedAt}#${v.id}` } }
      : {}),
  }),
});

export class Vehicles extends AggregateRepository<Vehicle> {
  constructor(
    t: TenantTable,
    ctx: TenantContext,
    private readonly customers: Customers,
  ) {
    super(t, ctx, VEHICLE);
  }

  private linkItem(link: VehicleLink): Item {
    return {
      ...link,
      pk: this.t.key(...this.partition(link.vehicleId)),
      sk: `LINK#${link.role}#${link.customerId}#${link.since}`,
      type: 'VehicleLink',
      gsi1pk: this.t.key('CUS', link.customerId),
      gsi1sk: `VLINK#${link.vehicleId}#${link.role}#${link.since}`,
    };
  }

  private customerExists(customerId: string, path: string): TxOp {
    return {
      check: { pk: this.t.key('CUS', customerId), sk: '#CUS' },
      condition: 'attribute_exists(pk)',
      onConditionFailed: () =>
        new ValidationError([
          { path, code: 'CUSTOMER_NOT_FOUND', message: `No customer ${customerId} in this store.` },
        ]),
    };
  }

  private odometerOp(vehicleId: string, reading: OdometerReading): TxOp {
    return {
      put: {
        pk: this.t.key(...this.partition(vehicleId)),
        sk: `ODO#${reading.readAt}#${newId('odo')}`,
        type: 'OdometerReading',
        ...reading,
      },
    };
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
    const check = validateVehicle(fields, opts.vinPolicy);
    if (!check.ok)
      throw new ValidationError([{ path: check.path, code: check.code, message: check.message }]);
    const now = new Date();
    const at = now.toISOString();
    const id = newId('veh');
    const { ownerCustomerId, odometerKm, ...rest } = fields;
    const warrantyStart = rest.warrantyStart ?? defaultWarrantyStart(rest);
    const vehicle: Vehicle = {
      ...rest,
      ...(warrantyStart ? { warrantyStart } : {}),
      ...(check.vinWarning ? { vinWarning: check.vinWarning } : {}),
      ...(ownerCustomerId ? { owner: { customerId: ownerCustomerId, since: at } } : {}),
      ...(odometerKm !== undefined ? { lastOdometerKm: odometerKm } : {}),
      ...(opts.lastServedAt ? { lastServedAt: opts.lastServedAt } : {}),
      id,
      storeId: this.t.tenantId,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const extra: TxOp[] = [
      {
        put: {
          pk: this.t.key(KEY_PREFIXES.vinGuard, vehicle.vin),
          sk: '#VIN',
          type: 'VinGuard',
          vehicleId: id,
        },
        condition: 'attribute_not_exists(pk)',
        onConditionFailed: (existing) =>
          new ConflictError(
            409,
            'VEHICLE_VIN_EXISTS',
            `A vehicle with VIN ${vehicle.vin} is already registered in this store.`,
            { existingVehicleId: existing?.vehicleId },
          ),
      },
    ];
    if (ownerCustomerId) {
      extra.push(this.customerExists(ownerCustomerId, 'ownerCustomerId'));
      extra.push({
        put: this.linkItem({ vehicleId: id, customerId: ownerCustomerId, role: 'owner', since: at }),
      });
    }
    if (odometerKm !== undefined)
      extra.push(
        this.odometerOp(id, {
          km: odometerKm,
          readAt: at,
          source: opts.action === 'import' ? 'import' : 'registration',
        }),
      );
    const { record, created } = await this.createRecord(vehicle, {
      action: opts.action ?? 'create',
      changes: diffRecords(undefined, fields),
      events: [
        newEvent('vehicle.registered', 'vehicle', id, {
          vehicleId: id,
          ...(opts.lastServedAt ? { lastServedAt: opts.lastServedAt } : {}),
        }),
      ],
      extra,
      idempotency: opts.idempotency,
    });
    return { vehicle: record, created };
  }

  /** The vehicle with its links and odometer readings (one Query) and linked customers' names (one BatchGet). */
  async detail(id: string): Promise<VehicleDetail> {
    const [{ vehicle, links }, readings] = await Promise.all([
      this.head(id),
      this.t.query({
        partition: this.partition(id),
        sk: { beginsWith: 'ODO#' },
        newestFirst: true,
        limit: DETAIL_READINGS + 1,
      }),
    ]);
    const odometer = readings.items
      .slice(0, DETAIL_READINGS)
      .map((i) => ({ km: i.km, readAt: i.readAt, source: i.source }) as OdometerReading);
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

  /**
   * The vehicle and all its links (current and ended), whatever their number: `#VEH` and `LINK#…` sort
   * together at the head of the vehicle's partition, before its readings, audit entries and events.
   */
  private async head(id: string): Promise<{ vehicle: Vehicle; links: VehicleLink[] }> {
    const items = await this.t.queryAll({ partition: this.partition(id), sk: { lessThan: 'LINK$' } });
    const item = items.find((i) => i.sk === VEHICLE.recordSk);
    if (!item) throw new NotFoundError('Vehicle', id);
    const links = items.filter((i) => i.type === 'VehicleLink').map((i) => stripKeys<VehicleLink>(i));
    return { vehicle: this.fromItem(item), links };
  }

  async findByPlate(plate: string, page: PageRequest): Promise<Page<VehicleListItem>> {
    return this.page(
      await this.t.query({
        index: 'gsi1',
        partition: ['PLATE', plate],
        limit: page.limit ?? 25,
        cursor: page.cursor,
      }),
    );
  }

  /** Full VIN or its last six characters: both are one Query on the VIN6 index. */
  async findByVin(vin: string, page: PageRequest): Promise<Page<VehicleListItem>> {
    return this.page(
      await this.t.query({
        index: 'gsi2',
        partition: ['VIN6', vin.slice(-6)],
        ...(vin.length === 17 ? { sk: { equals: vin } } : {}),
        limit: page.limit ?? 25,
        cursor: page.cursor,
      }),
    );
  }

  /** Recently served vehicles, newest first. */
  async recent(page: PageRequest): Promise<Page<VehicleListItem>> {
    return this.page(
      await this.t.query({
        index: 'gsi3',
        partition: ['VEHRECENT'],
        newestFirst: true,
        limit: page.limit ?? 25,
        cursor: page.cursor,
      }),
    );
  }

  /** One page of vehicles with their owners' names: one BatchGet for the whole page. */
  private async page(out: { items: Item[]; nextCursor?: string }): Promise<Page<VehicleListItem>> {
    const vehicles = out.items.map((i) => this.fromItem(i));
    const owners = new Map(
      (
        await this.customers.getMany([
          ...new Set(vehicles.flatMap((v) => (v.owner ? [v.owner.customerId] : []))),
        ])
      ).map((c) => [c.id, c.name]),
    );
    return {
      items: vehicles.map((v) => {
        const ownerName = v.owner ? owners.get(v.owner.customerId) : undefined;
        return ownerName ? { ...v, ownerName } : v;
      }),
      ...(out.nextCursor ? { nextCursor: out.nextCursor } : {}),
    };
  }

  async update(
    id: string,
    patch: VehiclePatch,
    expectedVersion: number,
    vinPolicy: VinPolicy,
  ): Promise<Vehicle> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideVehicleEdit(current, patch, vinPolicy, new Date().toISOString());
    return decision ? this.save(current, decision.next, decision) : current;
  }

  /** A new owner (过户): the old owner's link is closed, not deleted, so the vehicle keeps its history. */
  async transferOwnership(id: string, newOwnerId: string, expectedVersion: number): Promise<Vehicle> {
    const current = await this.requireVersion(id, expectedVersion);
    const decision = decideOwnerChange(current, newOwnerId, new Date().toISOString());
    const at = decision.next.updatedAt;
    const extra: TxOp[] = [
      this.customerExists(newOwnerId, 'newOwnerCustomerId'),
      { put: this.linkItem({ vehicleId: id, customerId: newOwnerId, role: 'owner', since: at }) },
    ];
    if (decision.endedOwner)
      extra.push(
        this.closeLinkOp(id, decision.endedOwner.customerId, 'owner', decision.endedOwner.since, at),
      );
    return this.save(current, decision.next, { ...decision, action: 'transfer', extra });
  }

  private closeLinkOp(
    vehicleId: string,
    customerId: string,
    role: LinkRole,
    since: string,
    until: string,
  ): TxOp {
    return {
      update: { pk: this.t.key(...this.partition(vehicleId)), sk: `LINK#${role}#${customerId}#${since}` },
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
    const { vehicle, links } = await this.head(id);
    if (vehicle.version !== expectedVersion) throw new VersionConflictError('Vehicle', id, vehicle.version);
    return { current: vehicle, links: links.filter((l) => l.until === undefined) };
  }

  /** Adds a driver (送修人) or fleet contact. */
  async addLink(
    id: string,
    customerId: string,
    role: Exclude<LinkRole, 'owner'>,
    expectedVersion: number,
  ): Promise<Vehicle> {
    const { current, links } = await this.currentWithLinks(id, expectedVersion);
    const decision = decideLinkAdded(current, links, customerId, role, new Date().toISOString());
    return this.save(current, decision.next, {
      ...decision,
      action: 'link',
      extra: [
        this.customerExists(customerId, 'customerId'),
        { put: this.linkItem({ vehicleId: id, customerId, role, since: decision.next.updatedAt }) },
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
    const decision = decideLinkEnded(current, links, customerId, role, new Date().toISOString());
    const { link, next } = decision;
    return this.save(current, next, {
      ...decision,
      action: 'unlink',
      extra: [this.closeLinkOp(id, customerId, role, link.since, next.updatedAt)],
    });
  }

  /**
   * Records a reading, judged against the readings just before and after it in time (two Queries of one
   * item each, in parallel with the vehicle's read): readings only go up in time, whatever order they
   * are typed in. The vehicle's `lastOdometerKm` follows the latest reading in time.
   */
  async recordOdometer(id: string, input: OdometerInput, expectedVersion: number): Promise<Vehicle> {
    const now = new Date();
    const reading: OdometerReading = {
      km: input.km,
      readAt: input.readAt ?? now.toISOString(),
      source: input.source,
    };
    const [current, neighbours] = await Promise.all([
      this.requireVersion(id, expectedVersion),
      this.readingsAround(id, reading.readAt),
    ]);
    const decision = decideOdometerReading(current, reading, neighbours, now);
    return this.save(current, decision.next, {
      ...decision,
      action: 'odometer',
      extra: [this.odometerOp(id, reading)],
    });
  }

  /** The latest reading at or before `readAt` and the earliest after it. */
  private async readingsAround(id: string, readAt: string) {
    // `~` sorts after every character of a reading's sort key (ISO time, `#`, id).
    const cut = `ODO#${readAt}#~`;
    const [before, after] = await Promise.all([
      this.t.query({
        partition: this.partition(id),
        sk: { between: ['ODO#', cut] },
        newestFirst: true,
        limit: 1,
      }),
      this.t.query({ partition: this.partition(id), sk: { between: [cut, 'ODO#~'] }, limit: 1 }),
    ]);
    const point = (i: Item | undefined) => (i ? { km: Number(i.km), readAt: String(i.readAt) } : undefined);
    return { before: point(before.items[0]), after: point(after.items[0]) };
  }

  /** A page of a customer's vehicles (current and past links): one Query on the link index, one BatchGet. */
  async ofCustomer(customerId: string, page: PageRequest): Promise<Page<CustomerVehicle>> {
    const out = await this.t.query({
      index: 'gsi1',
      partition: [KEY_PREFIXES.customer, customerId],
      sk: { beginsWith: 'VLINK#' },
      limit: page.limit ?? 50,
      cursor: page.cursor,
    });
    const links = out.items.map((i) => stripKeys<VehicleLink>(i));
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
