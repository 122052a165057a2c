import { diffRecords } from '../audit.ts';
import { type Creation, type Decision, editDecision, nextVersion } from '../decision.ts';
import { newEvent } from '../events.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type {
  CustomerFields,
  CustomerPatch,
  CustomerRecord,
  LinkRole,
  OdometerReading,
  OdometerSource,
  Vehicle,
  VehicleFields,
  VehicleLink,
  VehiclePatch,
} from './model.ts';
import { defaultWarrantyStart, validateVehicle } from './model.ts';
import { checkOdometerReading, type OdometerContext } from './odometer.ts';
import type { VinPolicy } from './vin.ts';

/** A new customer (新建客户档案), or one an import brings. */
export function decideCustomerCreation(fields: CustomerFields, where: Creation): Decision<CustomerRecord> {
  const { id, storeId, at } = where;
  return {
    next: { ...fields, id, storeId, version: 1, createdAt: at, updatedAt: at },
    changes: diffRecords(undefined, fields),
    events: [newEvent('customer.created', 'customer', id, { customerId: id })],
  };
}

/** A registration's record and the items that come with it: the owner link and the first reading. */
export interface VehicleRegistration extends Decision<Vehicle> {
  ownerLink?: VehicleLink;
  firstReading?: OdometerReading;
}

/**
 * Registers a vehicle (车辆建档): the VIN judged by the store's policy, the warranty start defaulted
 * from invoice or delivery, the owner linked from now, a first odometer reading from the registration
 * (or the import), and `lastServedAt` when an import knows it.
 */
export function decideVehicleRegistration(
  fields: VehicleFields,
  where: Creation & {
    vinPolicy: VinPolicy;
    source: Extract<OdometerSource, 'registration' | 'import'>;
    lastServedAt?: string | undefined;
  },
): VehicleRegistration {
  const { id, storeId, at, lastServedAt } = where;
  const check = validateVehicle(fields, where.vinPolicy);
  if (!check.ok) throw new ValidationError([{ path: check.path, code: check.code, message: check.message }]);
  const { ownerCustomerId, odometerKm, ...rest } = fields;
  const warrantyStart = rest.warrantyStart ?? defaultWarrantyStart(rest);
  const next: Vehicle = {
    ...rest,
    ...(warrantyStart ? { warrantyStart } : {}),
    ...(check.vinWarning ? { vinWarning: check.vinWarning } : {}),
    ...(ownerCustomerId ? { owner: { customerId: ownerCustomerId, since: at } } : {}),
    ...(odometerKm !== undefined ? { lastOdometerKm: odometerKm } : {}),
    ...(lastServedAt ? { lastServedAt } : {}),
    id,
    storeId,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return {
    next,
    changes: diffRecords(undefined, fields),
    events: [
      newEvent('vehicle.registered', 'vehicle', id, {
        vehicleId: id,
        ...(lastServedAt ? { lastServedAt } : {}),
      }),
    ],
    ...(ownerCustomerId
      ? { ownerLink: { vehicleId: id, customerId: ownerCustomerId, role: 'owner' as const, since: at } }
      : {}),
    ...(odometerKm !== undefined
      ? { firstReading: { km: odometerKm, readAt: at, source: where.source } }
      : {}),
  };
}

export function decideCustomerEdit(
  current: CustomerRecord,
  patch: CustomerPatch,
  at: string,
): Decision<CustomerRecord> | undefined {
  return editDecision(current, nextVersion(current, patch, at), (fields) =>
    newEvent('customer.updated', 'customer', current.id, { customerId: current.id, fields }),
  );
}

export function decideVehicleEdit(
  current: Vehicle,
  patch: VehiclePatch,
  vinPolicy: VinPolicy,
  at: string,
): Decision<Vehicle> | undefined {
  const next = nextVersion(current, patch, at);
  const check = validateVehicle(next, vinPolicy);
  if (!check.ok) throw new ValidationError([{ path: check.path, code: check.code, message: check.message }]);
  return editDecision(current, next, (fields) =>
    newEvent('vehicle.updated', 'vehicle', current.id, { vehicleId: current.id, fields }),
  );
}

/** 过户: the new owner from now on; the previous owner's link is ended, never deleted (history stays). */
export function decideOwnerChange(
  current: Vehicle,
  newOwnerId: string,
  at: string,
): Decision<Vehicle> & { endedOwner?: { customerId: string; since: string } } {
  if (current.owner?.customerId === newOwnerId)
    throw new ConflictError(409, 'ALREADY_OWNER', 'This customer already owns the vehicle.');
  const next = { ...nextVersion(current, {}, at), owner: { customerId: newOwnerId, since: at } };
  const from = current.owner?.customerId;
  return {
    next,
    changes: diffRecords(current, next),
    events: [
      newEvent('vehicle.ownerChanged', 'vehicle', current.id, {
        vehicleId: current.id,
        ...(from ? { from } : {}),
        to: newOwnerId,
      }),
    ],
    ...(current.owner ? { endedOwner: current.owner } : {}),
  };
}

type OtherRole = Exclude<LinkRole, 'owner'>;

/** A driver (送修人) or fleet contact; the vehicle's version moves so concurrent edits are seen. */
export function decideLinkAdded(
  current: Vehicle,
  openLinks: readonly VehicleLink[],
  customerId: string,
  role: OtherRole,
  at: string,
): Decision<Vehicle> {
  if (openLinks.some((l) => l.customerId === customerId && l.role === role))
    throw new ConflictError(
      409,
      'LINK_EXISTS',
      'This customer is already linked to the vehicle in that role.',
    );
  return {
    next: nextVersion(current, {}, at),
    changes: [{ field: `link.${role}`, to: customerId }],
    events: [],
  };
}

export function decideLinkEnded(
  current: Vehicle,
  openLinks: readonly VehicleLink[],
  customerId: string,
  role: OtherRole,
  at: string,
): Decision<Vehicle> & { link: VehicleLink } {
  const link = openLinks.find((l) => l.customerId === customerId && l.role === role);
  if (!link) throw new NotFoundError('Link', `${role}/${customerId}`);
  return {
    next: nextVersion(current, {}, at),
    changes: [{ field: `link.${role}`, from: customerId }],
    events: [],
    link,
  };
}

/** A reading, judged by `checkOdometerReading`; the vehicle's last reading follows the newest in time. */
export function decideOdometerReading(
  current: Vehicle,
  reading: OdometerReading,
  around: Pick<OdometerContext, 'before' | 'after'>,
  now: Date,
): Decision<Vehicle> {
  const decision = checkOdometerReading(reading, { now, modelYear: current.modelYear, ...around });
  if (!decision.ok) throw decision.error;
  const { km, readAt } = reading;
  return {
    next: nextVersion(current, decision.newest ? { lastOdometerKm: km } : {}, now.toISOString()),
    changes: [{ field: 'odometer', to: { km, readAt } }],
    events: [
      newEvent('vehicle.odometerRecorded', 'vehicle', current.id, { vehicleId: current.id, km, readAt }),
    ],
  };
}
