import { VEHICLE } from '@aftersales/data';
import { LemonRecords } from '@aftersales/data/lemon-law';
import { LemonVehicleStatus, LemonWatchItem } from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { json, PageQuery, pageOf, recordParams, StoreParams } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';

const tags = ['三包 (lemon law)'];

const Bodies = named({ LemonVehicleStatus, LemonWatchItem });
const LemonWatchPage = pageOf(Bodies.LemonWatchItem, 'LemonWatchPage');

/**
 * What the server weighs, stated once for both reads: the figures are RULES.md's, kept as rulesets with
 * a name and an effective date.
 */
const RULES =
  'A vehicle is weighed by the ruleset of its store’s jurisdiction in force on its sale date (the invoice date, else the delivery date): `CN-2022` for Chinese stores (vehicles sold from 2022-01-01), `CN-2013` before, `US-CA`, `US-NY`, `US-TX`; EU stores have none (`unavailable: no_ruleset`), and a vehicle with neither date has no status (`unavailable: no_sale_date`). Only inside the 三包 validity (CN: 24 months / 50,000 km from the start, first reached) does anything count. What counts are the delivered repair orders’ warranty and goodwill lines that were worked on and carry a coded fault (`fault` on the line): repairs of the same problem (same system and defect code; CN-2022 alerts at the 5th repair, > 4 times, and warns at the 4th), repairs of serious safety faults (warning at the 2nd, alert at the 3rd), cumulative repair days from the order’s opening to its last final check, under 24 h counting as 1 day (CN-2022 alerts above 30 days, warns from 25), assemblies and the same main part replaced twice (warning) and failing again (alert), the 7-day and 60-day / 3,000-km windows, and one repair lasting more than 5 days. A finding names its rule, the repair orders that count, the count, the threshold and what is left (`left`: repairs or days).';

/** 三包预警: a vehicle's status, and the store's vehicles under warning or alert. */
export const lemonLaw = new ApiRoutes();

// The list before `/vehicles/{vehicleId}`: static segments first.
lemonLaw.openapi(
  {
    method: 'get',
    path: '/watch',
    operationId: 'listLemonWatch',
    permission: 'lemon_law:read',
    tags,
    summary: 'The store’s vehicles under 三包 warning or alert (三包预警车辆), alerts first, paged',
    description: `${RULES} The list holds each vehicle whose last delivered warranty order left it at warning or alert (one Query a page, alerts first, then by vehicle); each line is weighed again as of now, so a vehicle whose validity has since run out shows \`level: none\` with \`validity.inside: false\` until its next visit takes it off the list. The days of an order still open are not in the list (the vehicle’s status has them). Each line carries the plate, model, level and its top finding (the highest level, then the fewest repairs or days left).`,
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(LemonWatchPage, 'Vehicles under warning or alert') },
  },
  async (c) => {
    const { cursor, limit } = c.req.valid('query');
    return c.json(await c.var.tenant.repo(LemonRecords).watch({ cursor, limit: limit ?? 25 }), 200);
  },
);

lemonLaw.openapi(
  {
    method: 'get',
    path: '/vehicles/{vehicleId}',
    operationId: 'getLemonStatus',
    permission: 'lemon_law:read',
    tags,
    summary:
      'A vehicle’s 三包 status now: ruleset, validity, level, and each finding with its rule, the counting repair orders and what is left',
    description: `${RULES} Weighed as of now: the vehicle’s open repair order (if it is in the shop) counts its days so far towards the cumulative days and the single long repair. A vehicle never repaired under warranty has empty \`visits\` and \`level: none\`. The counters follow the delivered orders moments after delivery (a consumer of \`repairOrder.delivered\`), never recomputed from the history. A vehicle not in the store is a 404.`,
    request: { params: recordParams(VEHICLE) },
    responses: { 200: json(Bodies.LemonVehicleStatus, 'The status') },
  },
  async (c) => {
    const { tenant } = c.var;
    const status = await tenant
      .repo(LemonRecords)
      .statusOf(tenant, c.get('access').store, c.req.valid('param').vehicleId);
    return c.json(status, 200);
  },
);
