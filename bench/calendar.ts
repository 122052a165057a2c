import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appFromEnv } from '@aftersales/api';
import { generatedOpenApi } from '@aftersales/api/openapi-document';
import { ALL_ROUTES } from '@aftersales/api/route-groups/all';
import { dataAccessFromEnv } from '@aftersales/data';
import { Appointments } from '@aftersales/data/appointments';
import {
  type Appointment,
  addDays,
  decideAppointmentCreation,
  estimateOf,
  wallClock,
  zonedInstant,
} from '@aftersales/domain';
import { startLocalStack } from '@aftersales/local';
import { DEMO_USERS, FIRST_STORE } from '@aftersales/seed';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { batchWrite } from './batch-write.ts';
import { grownCosts, operations, startDynamoCounter, type Tally } from './dynamo-counter.ts';

/**
 * `tsx bench/calendar.ts`: what the advisor's screens cost in DynamoDB as a store's bookings grow from
 * 100 to 10,000. The measured week holds the same 42 bookings every time; the others lie in earlier
 * weeks, as a store's history does. Each screen is requested through the API (the same app Lambda
 * serves) and counted on the wire: reads, items returned, read units. A figure that grows with the
 * store's total is a failure (exit 1). Writes are listed but not compared: the API's rate-limit leases
 * (an UpdateItem now and then, whatever the screen) fall into whichever request runs a lease out. Results also go to bench/calendar-results.json.
 */

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const SIZES = [100, 1_000, 10_000];
const WEEK_BOOKINGS_PER_DAY = 6;
const BACKGROUND_PER_DAY = 30;
const TIMES = ['08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '13:30', '14:00', '15:00', '16:00'];

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ZERO_RATES = Object.fromEntries(
  ['customer', 'warranty', 'goodwill', 'insurance', 'internal'].map((p) => [
    p,
    { amountMinor: 0, currency: 'CNY' },
  ]),
) as Parameters<typeof estimateOf>[1]['labourRates'];

const stack = await startLocalStack({
  port: 0,
  seed: { customersPerStore: 5 },
  webDir: false,
  pollers: false,
});
const failures: string[] = [];
try {
  const store = FIRST_STORE;
  const advisor = DEMO_USERS.find((u) => u.username === 'advisor.bj')!;
  const tenant = stack.data.forTenant({
    tenantId: store.id,
    actor: { userId: 'bench', name: 'bench', roles: [] },
  });
  const repo = tenant.repo(Appointments);
  const raw = new DynamoDBClient({ endpoint: stack.dynamoEndpoint });

  // The measured week: a Monday ten weeks on, far from the seed's bookings.
  const today = wallClock(new Date(), store.timeZone).date;
  let monday = addDays(today, 70);
  while (new Date(`${monday}T00:00:00Z`).getUTCDay() !== 1) monday = addDays(monday, 1);

  const booking = (date: string, time: string, n: number): Appointment =>
    decideAppointmentCreation(
      {
        status: 'confirmed',
        channel: 'desk',
        customerName: `客户 ${n}`,
        plate: `京B${String(n).padStart(5, '0')}`,
        date,
        time,
        startsAt: zonedInstant(date, time, store.timeZone).toISOString(),
        lines: [],
        concern: '保养 Routine service',
        parts: [],
        papers: [],
        load: { general: 10 },
        estimate: estimateOf({ general: 10 }, { labourRates: ZERO_RATES, taxRateBp: 1300 }),
        overbooked: false,
      },
      { id: `apt_BENCH${String(n).padStart(6, '0')}`, storeId: store.id, at: new Date().toISOString() },
    ).next;

  const write = (items: Record<string, unknown>[]) => batchWrite(raw, stack.tableName, items, 4);

  // The week itself, with its day items as bookings leave them.
  let n = 0;
  const week: Record<string, unknown>[] = [];
  for (let d = 0; d < 7; d++) {
    const date = addDays(monday, d);
    for (let i = 0; i < WEEK_BOOKINGS_PER_DAY; i++) week.push(repo.toItem(booking(date, TIMES[i]!, n++)));
    week.push({ ...repo.dayKey(date), type: 'AppointmentDay', date, booked_general: 60, count_confirmed: 6 });
  }
  await write(week);

  // Warm the API's caches (principal, store, limits) so each screen is counted alone.
  const counter = await startDynamoCounter(stack.dynamoEndpoint);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = counter.url;
  const app = appFromEnv(ALL_ROUTES, dataAccessFromEnv(), generatedOpenApi, process.env, {
    hasSoftwareTokenMfa: stack.idp.hasSoftwareTokenMfa,
    createAccount: stack.idp.createAccount,
    setAccountEnabled: stack.idp.setAccountEnabled,
  });
  const token = await stack.tokenFor(advisor.id);
  const base = `/v1/stores/${store.id}/appointments`;
  const SCREENS = {
    week: `${base}/calendar?from=${monday}&days=7`,
    day: `${base}/calendar?from=${monday}&days=1`,
    dayBefore: `${base}/day-before?date=${monday}`,
  };
  const get = async (path: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { appointments?: unknown[]; items?: unknown[] };
  };
  for (const path of Object.values(SCREENS)) await get(path);

  const results: { bookings: number; screens: Record<string, Tally & { shown: number }> }[] = [];
  let background = 0;
  for (const size of SIZES) {
    const more: Record<string, unknown>[] = [];
    for (; week.length - 7 + background < size; background++) {
      const day = addDays(monday, -1 - Math.floor(background / BACKGROUND_PER_DAY));
      more.push(repo.toItem(booking(day, TIMES[background % TIMES.length]!, n++)));
    }
    await write(more);
    const screens: Record<string, Tally & { shown: number }> = {};
    for (const [name, path] of Object.entries(SCREENS)) {
      const measurement = counter.measure();
      const body = await get(path);
      screens[name] = { ...measurement.stop(), shown: (body.appointments ?? body.items ?? []).length };
    }
    results.push({ bookings: size, screens });
    console.log(`${size} bookings in the store:`);
    for (const [name, t] of Object.entries(screens))
      console.log(
        `  ${name.padEnd(10)} ${t.shown} shown · ${t.reads} DynamoDB reads (${operations(t)}) · ${t.items} items · ${t.readUnits} RCU`,
      );
  }
  failures.push(...grownCosts(results.map((r) => ({ label: `${r.bookings} bookings`, screens: r.screens }))));
  writeFileSync(
    join(BENCH_DIR, 'calendar-results.json'),
    `${JSON.stringify({ monday, results }, null, 2)}\n`,
  );
  await counter.close();
  raw.destroy();
} finally {
  await stack.stop();
}
if (failures.length > 0) {
  console.error(`A screen's cost grew with the store's bookings:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('Every screen read the same whatever the number of bookings.');
