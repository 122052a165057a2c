import {
  type CustomerFields,
  type Organisation,
  type Store,
  type VehicleFields,
  type VinPolicy,
  vinCheckDigit,
  vinPolicyFor,
} from '@aftersales/domain';
import { DEMO_ORGS, DEMO_STORES } from '../platform/orgs.ts';
import { Rng } from '../platform/random.ts';
import { DEMO_USERS, type DemoUser, oemClientPrincipals } from '../platform/users.ts';
import {
  CITIES,
  type CityInfo,
  COLOURS,
  COMPANY_INDUSTRIES,
  COMPANY_TRADE_NAMES,
  CUSTOMER_NOTES,
  ENGLISH_FIRST,
  ENGLISH_LAST,
  FLEET_MODELS,
  GIVEN_NAMES_1,
  GIVEN_NAMES_2,
  MOBILE_PREFIXES,
  MODEL_YEAR_CODE,
  MODEL_YEARS,
  MODELS,
  type ModelSpec,
  PLATE_LETTERS,
  SURNAMES,
  VIN_CHARS,
} from './catalog.ts';

/**
 * The demo dataset as a plan: a pure function of (customers per store, anchor day). `seedDemo` only
 * writes it, so tests can check every record without a database.
 *
 * Every random draw comes from one seeded stream per store and the number of draws never depends on
 * the anchor day: a later anchor shifts the dates (so "recently served" stays recent) while names,
 * phones, VINs and plates stay the same. Customer i is generated completely before customer i+1, so a
 * small plan is a prefix of a large one.
 */

export const DEFAULT_CUSTOMERS_PER_STORE = 100;
/** For fast tests: a handful of customers per store. */
export const SMALL_CUSTOMERS_PER_STORE = 5;

export interface PlannedVehicle {
  fields: VehicleFields;
  /** Puts the vehicle on the store's "recently served" list. */
  lastServedAt?: string;
}

export interface PlannedCustomer {
  id: string;
  fields: CustomerFields;
  vehicles: PlannedVehicle[];
}

export interface StorePlan {
  store: Store;
  vinPolicy: VinPolicy;
  customers: PlannedCustomer[];
}

export interface DemoPlan {
  /** Anchor day (UTC, YYYY-MM-DD) the relative dates count back from. */
  today: string;
  organisations: readonly Organisation[];
  /** People first, then the OEM clients' machine principals. */
  users: readonly DemoUser[];
  stores: StorePlan[];
}

export interface PlanOptions {
  customersPerStore?: number | undefined;
  /** YYYY-MM-DD; default: today (UTC). */
  today?: string | undefined;
}

const DAY_MS = 86_400_000;
/** Asia/Shanghai has no daylight saving: local = UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Fixed epoch for the time part of customer ids, so that ids do not change with the anchor day. */
const ID_EPOCH_MS = Date.UTC(2024, 0, 1);

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string): number => Date.parse(`${day}T00:00:00Z`);

function unique(seen: Set<string>, draw: () => string): string {
  for (let i = 0; i < 1000; i++) {
    const v = draw();
    if (!seen.has(v)) {
      seen.add(v);
      return v;
    }
  }
  throw new Error('Demo generator ran out of unique values');
}

/** A VIN with position 9 set to its check digit (ISO 3779 / GB 16735). */
export function withCheckDigit(draft: string): string {
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

/** WMI + model VDS + check digit + model-year code + plant + 6-digit serial. */
export function makeVin(spec: ModelSpec, modelYear: number, rng: Rng): string {
  const yearCode = MODEL_YEAR_CODE[modelYear];
  if (!yearCode) throw new Error(`No VIN year code for ${modelYear}`);
  const draft = `${spec.wmi}${spec.vds}${rng.chars(VIN_CHARS, 2)}0${yearCode}${rng.pick([...spec.plants])}${rng.digits(6)}`;
  return withCheckDigit(draft);
}

/** ULID-shaped (like `newId`), with the time part from a fixed epoch so it is reproducible. */
function customerId(ordinal: number, rng: Rng): string {
  let t = ID_EPOCH_MS + ordinal * 1000;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `cus_${time}${rng.chars(CROCKFORD, 16)}`;
}

function chineseName(rng: Rng): string {
  const surname = rng.weighted(SURNAMES);
  const two = rng.chance(0.75);
  const given2 = rng.pick(GIVEN_NAMES_2);
  const given1 = rng.pick(GIVEN_NAMES_1);
  return surname + (two ? given2 : given1);
}

function mobile(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}${rng.digits(8)}`;
}

/** Local landlines start 2–8; stored as digits with the area code (010 6234 5678 → 01062345678). */
function landline(city: CityInfo, rng: Rng): string {
  return `${city.areaCode}${rng.int(2, 8)}${rng.digits(7)}`;
}

/** Plate for a store in `city`: 5 characters after 京A; new-energy plates have 6, starting D (BEV) or F (others). */
function plate(city: CityInfo, powertrain: VehicleFields['powertrain'], rng: Rng): string {
  const visitor = rng.chance(0.08) ? rng.pick(city.visitors) : undefined;
  const province = visitor?.[0] ?? city.province;
  const office = rng.pick([...(visitor?.[1] ?? city.letters)]);
  const letter = () => rng.pick([...PLATE_LETTERS]);
  const pattern = rng.weighted<string>([
    ['NNNNN', 3],
    ['LNNNN', 3],
    ['NLNNN', 1],
    ['NNNNL', 1],
    ['LLNNN', 2],
  ]);
  const nev = rng.chars(`${PLATE_LETTERS}0123456789`, 1);
  if (powertrain === 'bev' || powertrain === 'phev') {
    return `${province}${office}${powertrain === 'bev' ? 'D' : 'F'}${nev}${rng.digits(4)}`;
  }
  const body = [...pattern].map((p) => (p === 'L' ? letter() : rng.digits(1))).join('');
  return `${province}${office}${body}`;
}

interface StoreContext {
  store: Store;
  city: CityInfo;
  cityName: string;
  models: readonly ModelSpec[];
  todayMs: number;
  rng: Rng;
  phones: Set<string>;
  vins: Set<string>;
  plates: Set<string>;
  /** Numbers already shared by two customers. */
  shared: Set<string>;
  companies: Set<string>;
}

function planVehicle(ctx: StoreContext, ownerId: string, fleet: boolean): PlannedVehicle {
  const { rng, todayMs } = ctx;
  const spec = rng.weighted(
    ctx.models.map((m) => [m, fleet && FLEET_MODELS.has(m.model) ? m.weight * 4 : m.weight] as const),
  );
  // Younger cars come back to the dealer more often (still under warranty, maintenance packages).
  const years: [number, number][] = [];
  for (let y = Math.max(spec.years[0], MODEL_YEARS[0]); y <= Math.min(spec.years[1], MODEL_YEARS[1]); y++) {
    years.push([y, 6 + y - MODEL_YEARS[0]]);
  }
  const modelYear = rng.weighted(years);
  const powertrain = rng.weighted(spec.powertrains);
  const colour = rng.weighted(COLOURS);
  const vin = unique(ctx.vins, () => makeVin(spec, modelYear, rng));
  const plateText = unique(ctx.plates, () => plate(ctx.city, powertrain, rng));

  // 开票 between July of the year before the model year and the end of it; delivery within a week.
  // A date past the anchor folds back into the last half year rather than piling up on one day.
  const drawnMs = Date.UTC(modelYear - 1, 6, 1) + rng.int(0, 547) * DAY_MS;
  const latestMs = todayMs - 3 * DAY_MS;
  const invoiceMs =
    drawnMs <= latestMs ? drawnMs : latestMs - (((drawnMs - latestMs) / DAY_MS) % 180) * DAY_MS;
  const deliveryLagDays = rng.chance(0.5) ? 0 : rng.int(1, 7);
  const deliveryMs = Math.min(invoiceMs + deliveryLagDays * DAY_MS, todayMs - DAY_MS);
  const recordsDelivery = rng.chance(0.85);
  const temporaryPlate = rng.chance(0.6); // 临牌: only matters for cars delivered in the last 2 weeks
  const annualKm = fleet ? rng.int(20_000, 45_000) : rng.int(6_000, 20_000);
  const odometerKm = Math.max(
    5,
    Math.round(((todayMs - deliveryMs) / (365 * DAY_MS)) * annualKm) + rng.int(0, 300),
  );

  // Last visit: about 30% within 60 days (front desk's "recent" list), some earlier, the rest never here.
  const served = rng.float();
  const recentDays = rng.int(1, 60);
  const earlierDays = rng.int(61, 540);
  const servedDaysAgo = served < 0.3 ? recentDays : served < 0.75 ? earlierDays : undefined;
  const servedLocalMinute = rng.int(8 * 60 + 30, 17 * 60 + 30);
  let lastServedAt: string | undefined;
  if (servedDaysAgo !== undefined && todayMs - servedDaysAgo * DAY_MS > deliveryMs) {
    const at = todayMs - servedDaysAgo * DAY_MS + servedLocalMinute * 60_000 - SHANGHAI_OFFSET_MS;
    lastServedAt = new Date(at).toISOString();
  }

  const justDelivered = todayMs - deliveryMs < 14 * DAY_MS;
  const fields: VehicleFields = {
    vin,
    ...(justDelivered && temporaryPlate ? {} : { plate: plateText }),
    brand: spec.brand,
    model: spec.model,
    modelYear,
    colour,
    powertrain,
    invoiceDate: dayOf(invoiceMs),
    ...(recordsDelivery ? { deliveryDate: dayOf(deliveryMs) } : {}),
    odometerKm,
    ownerCustomerId: ownerId,
  };
  return lastServedAt ? { fields, lastServedAt } : { fields };
}

const WINDOW_CHOICES: readonly (readonly [CustomerFields['preferredContactWindows'], number])[] = [
  [[], 9],
  [['morning'], 2],
  [['afternoon'], 2],
  [['evening'], 3],
  [['morning', 'afternoon'], 2],
  [['afternoon', 'evening'], 2],
];

const CONSENTS: readonly (readonly [CustomerFields['consent'], number])[] = [
  [{ calls: true, messages: true }, 50],
  [{ calls: true, messages: false }, 30],
  [{ calls: false, messages: true }, 12],
  [{ calls: false, messages: false }, 8],
];

function planCustomer(
  ctx: StoreContext,
  ordinal: number,
  previous: readonly PlannedCustomer[],
): PlannedCustomer {
  const { rng } = ctx;
  const id = customerId(ordinal, rng);
  const kind = rng.weighted<'person' | 'english' | 'company'>([
    ['person', 86],
    ['english', 8],
    ['company', 6],
  ]);
  const consent = { ...rng.weighted(CONSENTS) };
  const windows = [...rng.weighted(WINDOW_CHOICES)];
  const note = rng.chance(0.12) ? rng.pick(CUSTOMER_NOTES) : undefined;
  const secondPhone = rng.float();
  const sharesPhone = rng.chance(0.03); // spouses sharing one number: the phone look-up lists both
  const primary = unique(ctx.phones, () => mobile(rng));

  let fields: CustomerFields;
  let vehicleCount: number;
  if (kind === 'company') {
    const name = unique(
      ctx.companies,
      () => `${ctx.cityName}${rng.pick(COMPANY_TRADE_NAMES)}${rng.pick(COMPANY_INDUSTRIES)}`,
    );
    vehicleCount = rng.int(2, 4);
    fields = {
      kind: 'company',
      name,
      contactPerson: chineseName(rng),
      phones: [
        { number: primary, label: 'mobile' },
        { number: unique(ctx.phones, () => landline(ctx.city, rng)), label: 'work' },
      ],
      email: `fleet${rng.digits(3)}@example.com`,
      preferredContactWindows: windows.filter((w) => w !== 'evening'),
      consent: { calls: true, messages: consent.messages },
      notes: `车队客户，共${vehicleCount}辆车，月结。`,
    };
  } else {
    vehicleCount = rng.weighted([
      [1, 85],
      [2, 13],
      [3, 2],
    ]);
    const english = kind === 'english';
    const first = rng.pick(ENGLISH_FIRST);
    const last = rng.pick(ENGLISH_LAST);
    const name = english ? `${first} ${last}` : chineseName(rng);
    // A visitor's UK number from Ofcom's drama range (07700 900000–900999): never a real line.
    const foreign = english && rng.chance(0.2) ? `+447700900${rng.digits(3)}` : undefined;
    // Only the customer just before, a Chinese individual with one number not already shared.
    const prev = previous.at(-1);
    const spouse =
      prev?.fields.kind === 'individual' &&
      prev.fields.phones.length === 1 &&
      /^\p{Script=Han}/u.test(prev.fields.name) &&
      !ctx.shared.has(prev.fields.phones[0]!.number)
        ? prev.fields.phones[0]!.number
        : undefined;
    const phones: CustomerFields['phones'] = [];
    if (sharesPhone && spouse && !english) {
      ctx.shared.add(spouse);
      phones.push({ number: spouse, label: 'mobile' });
    } else {
      phones.push({ number: foreign ?? primary, label: 'mobile' });
    }
    if (secondPhone < 0.12) phones.push({ number: unique(ctx.phones, () => mobile(rng)), label: 'other' });
    else if (secondPhone < 0.2)
      phones.push({ number: unique(ctx.phones, () => landline(ctx.city, rng)), label: 'home' });
    const qqStyle = `${rng.int(1, 9)}${rng.digits(rng.int(5, 9))}@example.com`;
    const email = english
      ? `${first}.${last}${rng.chance(0.3) ? rng.int(1, 99) : ''}@example.com`.toLowerCase()
      : rng.chance(0.1)
        ? qqStyle
        : undefined;
    const notes = phones[0]!.number !== primary && !foreign ? '与家人共用手机号。' : note;
    fields = {
      kind: 'individual',
      name,
      phones,
      ...(email ? { email } : {}),
      preferredContactWindows: consent.calls ? windows : [],
      consent,
      ...(notes ? { notes } : {}),
    };
  }
  const vehicles = Array.from({ length: vehicleCount }, () => planVehicle(ctx, id, kind === 'company'));
  return { id, fields, vehicles };
}

function planStore(
  store: Store,
  storeIndex: number,
  count: number,
  todayMs: number,
  seen: Pick<StoreContext, 'phones' | 'vins' | 'plates'>,
): StorePlan {
  const cityName = store.city ?? '北京';
  const city = CITIES[cityName];
  if (!city) throw new Error(`No plate/phone data for city ${cityName}`);
  const ctx: StoreContext = {
    store,
    city,
    cityName,
    models: MODELS.filter((m) => store.brands.includes(m.brand)),
    todayMs,
    rng: new Rng(`aftersales-demo/${store.id}`),
    shared: new Set(),
    companies: new Set(),
    ...seen,
  };
  const customers: PlannedCustomer[] = [];
  for (let i = 0; i < count; i++) customers.push(planCustomer(ctx, storeIndex * 100_000 + i, customers));
  return { store, vinPolicy: vinPolicyFor(store.jurisdiction), customers };
}

/** The whole demo dataset. Pure: same options, same plan. */
export function buildDemoPlan(opts: PlanOptions = {}): DemoPlan {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const todayMs = msOf(today);
  if (Number.isNaN(todayMs)) throw new Error(`Not a date: ${today}`);
  const count = opts.customersPerStore ?? DEFAULT_CUSTOMERS_PER_STORE;
  if (!Number.isInteger(count) || count < 0 || count >= 100_000)
    throw new Error(`customersPerStore: ${count}`);
  // One set across stores: VINs, plates and phones are unique in the whole demo, not only per store.
  const seen = { phones: new Set<string>(), vins: new Set<string>(), plates: new Set<string>() };
  return {
    today,
    organisations: DEMO_ORGS,
    users: [...DEMO_USERS, ...oemClientPrincipals()],
    stores: DEMO_STORES.map((store, i) => planStore(store, i, count, todayMs, seen)),
  };
}

/** Totals, for logs and docs. */
export function planCounts(plan: DemoPlan): {
  organisations: number;
  users: number;
  customers: number;
  vehicles: number;
  recentlyServed: number;
} {
  const customers = plan.stores.flatMap((s) => s.customers);
  const vehicles = customers.flatMap((c) => c.vehicles);
  return {
    organisations: plan.organisations.length,
    users: plan.users.length,
    customers: customers.length,
    vehicles: vehicles.length,
    recentlyServed: vehicles.filter(
      (v) => v.lastServedAt && msOf(plan.today) - Date.parse(v.lastServedAt) <= 60 * DAY_MS,
    ).length,
  };
}
