import * as z from 'zod';
import { defineCapability } from '../platform/capability.ts';
import { filledText, Instant, Kilometres, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { patchSchema } from '../platform/patch.ts';
import { normalizePhone, normalizePlate } from '../platform/text.ts';
import { checkVin, normalizeVin, type VinPolicy } from './vin.ts';

/** Customer & vehicle registry (客户档案 / 车辆档案). One schema per concept: API, OpenAPI and web use these. */

const IsoDate = z.iso.date({ error: 'Use a date like 2024-05-31.' });
const IsoDateTime = Instant;

export const PhoneLabel = z.enum(['mobile', 'home', 'work', 'other']);

// What may stand between the digits: spaces, brackets, dots and hyphens, ASCII or full-width (IME input).
const PHONE_SEPARATORS = '[\\s().\\-（）．－]*';
/**
 * A phone number as typed, exactly the rule the server applies (and the document's `pattern`): 5–15
 * digits (ASCII or full-width), an optional leading `+`, separators anywhere. Checked before
 * normalising, so nothing the document refuses is silently cleaned into a number.
 */
export const PHONE_AS_TYPED = `^${PHONE_SEPARATORS}(?:[+＋]${PHONE_SEPARATORS})?(?:[0-9０-９]${PHONE_SEPARATORS}){5,15}$`;

export const Phone = z.strictObject({
  number: z
    .string()
    .check(z.regex(new RegExp(PHONE_AS_TYPED), 'A phone number has 5 to 15 digits.'))
    .transform(normalizePhone)
    .meta({
      pattern: PHONE_AS_TYPED,
      description:
        '5–15 digits (ASCII or full-width) with an optional leading +; spaces, brackets, dots and hyphens may separate them and are dropped. A leading 00 followed by at least 5 more digits is stored as +; +86/0086 before a Chinese mobile is removed.',
      example: '138 0013 8000',
    }),
  label: PhoneLabel.default('mobile'),
});
export type Phone = z.infer<typeof Phone>;

/** Windows the follow-up rules allow (9:00–11:30, 14:00–19:00 local time); customers may narrow them. */
export const ContactWindow = z.enum(['morning', 'afternoon', 'evening']);
export type ContactWindow = z.infer<typeof ContactWindow>;

/** The store-local hours of each window: together exactly the follow-up call rule (DOMAIN.md). */
export const CONTACT_WINDOW_HOURS: Record<ContactWindow, { from: string; to: string }> = {
  morning: { from: '09:00', to: '11:30' },
  afternoon: { from: '14:00', to: '17:00' },
  evening: { from: '17:00', to: '19:00' },
};

export const Consent = z.strictObject({
  calls: z.boolean(),
  messages: z.boolean(),
});

export const CustomerKind = z.enum(['individual', 'company']);

/** Field-error code of a phone number a customer already has (the same digits once normalised). */
export const DUPLICATE_PHONE = 'DUPLICATE_PHONE';

/**
 * A customer's one to three numbers, no two the same once normalised (`13800138000` and
 * `+86 138 0013 8000` are one number: the phone index would be written twice). The repeat is the field
 * in error. Checked only when every number is valid on its own.
 */
const Phones = z
  .array(Phone)
  .check(
    z.minLength(1, 'At least one phone number is required.'),
    z.maxLength(3),
    z.superRefine((phones, ctx) => {
      if (ctx.issues.length > 0) return;
      const seen = new Set<string>();
      phones.forEach((phone, i) => {
        if (seen.has(phone.number))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'number'],
            message: 'This number is already one of the customer’s phones.',
            params: { code: DUPLICATE_PHONE },
          });
        seen.add(phone.number);
      });
    }),
  )
  .meta({
    description:
      'One to three numbers, no two the same once normalised (`13800138000` and `+86 138 0013 8000` are one number): a repeat is refused with 400 `VALIDATION_FAILED` and field error `DUPLICATE_PHONE` at `phones.<i>.number`.',
  });

/**
 * An e-mail address as zod's `z.email()` accepts it (no `!`, `%`, quotes or IP literals), stated as the
 * document's `pattern` so clients know the exact rule rather than only `format: email`.
 */
export const Email = z.email({ pattern: z.regexes.email }).meta({
  pattern: z.regexes.email.source,
  description:
    "An address like name@example.com. `pattern` is the exact rule (zod’s e-mail check): letters, digits, `_`, `'`, `+`, `-` and single dots before the @, the last of them not `'`; a domain of letters, digits and hyphens ending in a top-level domain of 2 or more letters.",
});

// Request bodies are strict: an unknown key is a 400 naming it, never silently dropped.
export const CustomerInput = z.strictObject({
  kind: CustomerKind.default('individual'),
  /** Person's name, or the company's registered name. */
  name: filledText(120, 'Name is required.'),
  /** For a company: the person the store deals with. */
  contactPerson: trimmedText(120).optional(),
  phones: Phones,
  email: Email.optional(),
  preferredContactWindows: z.array(ContactWindow).max(3).default([]),
  consent: Consent.default({ calls: true, messages: false }),
  notes: z.string().max(2000).optional(),
});
export type CustomerInput = z.input<typeof CustomerInput>;
export type CustomerFields = z.output<typeof CustomerInput>;

/** Changes to a customer: only the fields sent change; `null` clears an optional field. */
export const CustomerPatch = patchSchema(CustomerInput.shape);
export type CustomerPatch = z.output<typeof CustomerPatch>;

export const Customer = CustomerInput.extend({
  id: z.string(),
  storeId: z.string(),
  /** Phone numbers are masked (1******8000: never more than half of a number shown) for roles that do not contact customers. */
  phonesMasked: z.boolean().meta({
    description:
      'True for roles without `customer:contact`: each phone number shows at most half of its digits (the last ones), and `email`, `contactPerson` and `notes` are left out.',
  }),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Customer = z.infer<typeof Customer>;

/**
 * A customer as stored: masking is presentation. Not strict: an attribute a newer version wrote is
 * dropped on read rather than failing it.
 */
export const CustomerRecord = z.object(Customer.omit({ phonesMasked: true }).shape);
export type CustomerRecord = z.infer<typeof CustomerRecord>;

export const Powertrain = z.enum(['petrol', 'diesel', 'hybrid', 'phev', 'bev']);

const currentYear = new Date().getUTCFullYear();

/** 17 characters without I, O, Q; case, spaces and hyphens are normalised away. */
export const VinText = z.string().transform(normalizeVin).meta({
  format: 'vin',
  pattern: '^[A-HJ-NPR-Za-hj-npr-z0-9]{17}$',
  description:
    'ISO 3779 VIN: 17 characters, no I, O or Q. The check digit (position 9) must be right in CN and US stores (400 `VIN_CHECK_DIGIT`); EU stores get `vinWarning` instead.',
  example: 'LSJA24U62JG269225',
});

/** 车牌: full-width characters, spaces, dots and hyphens are normalised away; 2–12 characters remain. */
export const PlateText = z
  .string()
  .trim()
  .transform(normalizePlate)
  .pipe(z.string().check(z.minLength(2), z.maxLength(12)))
  .meta({ pattern: '^[\\s·.•-]*([^\\s·.•-][\\s·.•-]*){2,12}$', example: '京A·12345' });

export const VehicleInput = z.strictObject({
  vin: VinText,
  plate: PlateText.optional(),
  brand: filledText(40),
  model: filledText(60),
  modelYear: z
    .int()
    .check(z.gte(1980), z.lte(currentYear + 1))
    .optional(),
  colour: trimmedText(30).optional(),
  powertrain: Powertrain.optional(),
  /** 开票日期: the 三包 period starts here (or at delivery where they differ, CN-2022). */
  invoiceDate: IsoDate.optional(),
  deliveryDate: IsoDate.optional(),
  /** Defaults to the delivery date, else the invoice date. */
  warrantyStart: IsoDate.optional(),
  odometerKm: Kilometres.optional(),
  ownerCustomerId: RequiredText.optional(),
});
export type VehicleInput = z.input<typeof VehicleInput>;
export type VehicleFields = z.output<typeof VehicleInput>;

/** Changes to a vehicle (never its VIN, owner or odometer: they have their own commands). */
export const VehiclePatch = patchSchema(
  VehicleInput.omit({ vin: true, ownerCustomerId: true, odometerKm: true }).shape,
);
export type VehiclePatch = z.output<typeof VehiclePatch>;

export const LinkRole = z.enum(['owner', 'driver', 'fleet_contact']); // 车主 / 送修人 / 车队联系人
export type LinkRole = z.infer<typeof LinkRole>;

export const Vehicle = z.object({
  id: z.string(),
  storeId: z.string(),
  vin: z.string(),
  /** Set when the store's jurisdiction only warns on a check-digit mismatch. */
  vinWarning: z.literal('CHECK_DIGIT_MISMATCH').optional(),
  plate: z.string().optional(),
  brand: z.string(),
  model: z.string(),
  modelYear: z.int().optional(),
  colour: z.string().optional(),
  powertrain: Powertrain.optional(),
  invoiceDate: IsoDate.optional(),
  deliveryDate: IsoDate.optional(),
  warrantyStart: IsoDate.optional(),
  owner: z.object({ customerId: z.string(), since: IsoDateTime }).optional(),
  lastOdometerKm: z.int().optional(),
  lastServedAt: IsoDateTime.optional(),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Vehicle = z.infer<typeof Vehicle>;

/** A vehicle in a look-up list, with its owner's name so a list is one screen without more requests. */
export const VehicleListItem = Vehicle.extend({ ownerName: z.string().optional() });
export type VehicleListItem = z.infer<typeof VehicleListItem>;

export const VehicleLink = z.object({
  vehicleId: z.string(),
  customerId: z.string(),
  role: LinkRole,
  since: IsoDateTime,
  until: IsoDateTime.optional(),
});
export type VehicleLink = z.infer<typeof VehicleLink>;

export const OdometerSource = z.enum(['registration', 'reception', 'import', 'manual']);
export type OdometerSource = z.infer<typeof OdometerSource>;
export const OdometerReading = z.object({
  km: Kilometres,
  readAt: IsoDateTime,
  source: OdometerSource,
});
export type OdometerReading = z.infer<typeof OdometerReading>;

/**
 * A reading as a client sends it. `readAt` is any RFC 3339 time with an offset (a store's local time,
 * `2026-11-23T10:00:00+08:00`, or UTC); it is stored in UTC so readings sort by the time they were read.
 * Defaults to now. Which times are accepted is `checkOdometerReading`.
 */
export const OdometerInput = z.strictObject({
  km: Kilometres,
  readAt: z.iso
    .datetime({ offset: true, error: 'Use an RFC 3339 time with an offset, e.g. 2026-11-23T10:00:00+08:00.' })
    .transform((s) => new Date(s).toISOString())
    .optional(),
  source: OdometerSource.default('manual'),
});
export type OdometerInput = z.output<typeof OdometerInput>;

export const TransferOwnershipInput = z.strictObject({
  newOwnerCustomerId: RequiredText,
});
export const AddLinkInput = z.strictObject({
  customerId: RequiredText,
  role: LinkRole.exclude(['owner']),
});

/** Everything the front desk needs to see about one vehicle, in one response. */
export const VehicleDetail = Vehicle.extend({
  links: z.array(VehicleLink.extend({ customerName: z.string().optional() })),
  /** The newest readings (up to 20), newest first. */
  odometer: z.array(OdometerReading),
  /** True when the vehicle has older readings than those listed. */
  moreOdometerReadings: z.boolean(),
});
export type VehicleDetail = z.infer<typeof VehicleDetail>;

/** One of a customer's vehicles, with the role the customer has or had for it. */
export const CustomerVehicle = z.object({
  role: LinkRole,
  since: IsoDateTime,
  until: IsoDateTime.optional(),
  vehicle: Vehicle.pick({ id: true, vin: true, plate: true, brand: true, model: true }),
});
export type CustomerVehicle = z.infer<typeof CustomerVehicle>;

export const CustomerDetail = Customer.extend({
  /** The first page of the customer's vehicles (a fleet can have hundreds). */
  vehicles: z.array(CustomerVehicle),
  /** Present when there are more: `GET …/customers/{id}/vehicles?cursor=` continues the list. */
  vehiclesNextCursor: z.string().optional(),
});
export type CustomerDetail = z.infer<typeof CustomerDetail>;

/** CN-2022: the 三包 period starts at the invoice date, or the delivery date where they differ. */
export function defaultWarrantyStart(v: { invoiceDate?: string; deliveryDate?: string }): string | undefined {
  return v.deliveryDate ?? v.invoiceDate;
}

export type VehicleValidation =
  | { ok: true; vinWarning?: 'CHECK_DIGIT_MISMATCH' }
  | { ok: false; path: string; code: string; message: string };

/** Rules that need the store's context (VIN policy) or more than one field. */
export function validateVehicle(v: VehicleFields, vinPolicy: VinPolicy): VehicleValidation {
  const vin = checkVin(v.vin, vinPolicy);
  if (!vin.ok) return { ok: false, path: 'vin', code: vin.code, message: vin.message };
  if (v.invoiceDate && v.deliveryDate && v.deliveryDate < v.invoiceDate) {
    return {
      ok: false,
      path: 'deliveryDate',
      code: 'DELIVERY_BEFORE_INVOICE',
      message: 'The delivery date cannot be before the invoice date.',
    };
  }
  return vin.warning ? { ok: true, vinWarning: vin.warning } : { ok: true };
}

/** Query forms of the front-desk look-ups (one request each). */
export const VehicleSearch = z.union([
  z.object({ plate: z.string().check(z.trim(), z.minLength(2)).transform(normalizePlate) }),
  z.object({
    vin: z
      .string()
      .transform(normalizeVin)
      .pipe(
        z
          .string()
          .regex(/^([A-HJ-NPR-Z0-9]{6}|[A-HJ-NPR-Z0-9]{17})$/, 'Give the full VIN or its last 6 characters.'),
      ),
  }),
  z.object({ recent: z.literal('true') }),
]);

/**
 * Customer look-ups. Both are personal data, so they travel in request bodies, never in URLs (which
 * access logs keep). By phone: the whole number, by the same rule as a stored one (5–15 digits).
 */
export const CustomerPhoneSearch = z.strictObject({ phone: Phone.shape.number });
export type CustomerPhoneSearch = z.infer<typeof CustomerPhoneSearch>;
/** By the start of the name; empty lists every customer A–Z. */
export const CustomerNameSearch = z.strictObject({
  name: z.string().check(z.maxLength(120)).meta({
    description: 'Name prefix, case-, width- and space-insensitive; empty lists every customer A–Z.',
    example: '王',
  }),
});
export type CustomerNameSearch = z.infer<typeof CustomerNameSearch>;

const EventId = RequiredText;
const EventInstant = Instant;
const FRONT_DESK = [
  'service_manager',
  'front_desk_supervisor',
  'service_advisor',
  'customer_service',
] as const;

/** 客户与车辆档案: the events other capabilities react to, and who may read and keep the records. */
export const REGISTRY = defineCapability({
  aggregates: { customer: ['import'], vehicle: ['transfer', 'link', 'unlink', 'odometer', 'import'] },
  events: {
    'customer.created': z.object({ customerId: EventId }),
    'customer.updated': z.object({ customerId: EventId, fields: z.array(z.string()) }),
    'vehicle.registered': z.object({ vehicleId: EventId, lastServedAt: EventInstant.optional() }),
    'vehicle.updated': z.object({ vehicleId: EventId, fields: z.array(z.string()) }),
    'vehicle.ownerChanged': z.object({ vehicleId: EventId, from: EventId.optional(), to: EventId }),
    'vehicle.odometerRecorded': z.object({ vehicleId: EventId, km: z.int(), readAt: EventInstant }),
  },
  figures: {
    figures: {
      customers: { label: { en: 'Customers', 'zh-CN': '客户数' } },
      vehicles: { label: { en: 'Vehicles', 'zh-CN': '车辆数' } },
      // A vehicle registered with a service date counts as served on that day (the store's own day).
      servedLast30Days: {
        label: { en: 'Served (30 days)', 'zh-CN': '近 30 天进厂' },
        daily: { stored: 'servedByDay', days: 30 },
      },
    },
    on: {
      'customer.created': () => ({ customers: 1 }),
      'vehicle.registered': ({ data }) => ({ vehicles: 1, servedLast30Days: data.lastServedAt }),
    },
  },
  permissions: {
    // Every store role reads the records; HQ reads them too (phones masked), never edits.
    'registry:read': [
      ...FRONT_DESK,
      'claims_specialist',
      'technical_director',
      'workshop_manager',
      'technician',
      'parts_manager',
      'parts_clerk',
      'warehouse_keeper',
      'hq_executive',
      'hq_analyst',
    ],
    'registry:write': FRONT_DESK,
    // Full phone numbers: the people who call customers, and claims (they talk to owners about repairs).
    'customer:contact': [...FRONT_DESK, 'claims_specialist'],
    'audit:read': [...FRONT_DESK, 'claims_specialist', 'hq_executive'],
  },
});
