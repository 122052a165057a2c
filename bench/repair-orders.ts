import './quiet-logs.ts';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RepairOrders } from '@aftersales/data/repair-orders';
import { newId, type RepairOrder, vinCheckDigit } from '@aftersales/domain';
import { startLocalStack } from '@aftersales/local';
import { demoUserFor, FIRST_STORE } from '@aftersales/seed';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { batchWrite } from './batch-write.ts';
import { grownCosts, operations, startDynamoCounter, sumTallies, type Tally } from './dynamo-counter.ts';
import { verdict } from './verdict.ts';

/**
 * `tsx bench/repair-orders.ts`: the repair order's screens as a store's orders grow, and what one order
 * costs from check-in to delivery, on the embedded local stack. Everything goes through the stack's
 * real HTTP API (the app Lambda serves), whose DynamoDB client, event router and consumers reach
 * DynamoDB Local through the counting pass-through: requests, items, read and write units on the wire.
 *
 * (a) The RO detail screen (the five requests the web's order page makes on opening it, and the
 *     customer look-ups its history list makes) and the workshop board with exactly 50 open orders, as
 *     the store's orders grow from 100 to 1,000 to 10,000 (delivered ones, written as order-shaped
 *     items by BatchWriteItem). Beside them, in the same run, raw reads of the items each shows (a
 *     GetItem of the order; a Query of 50 open orders and one of the staff). Exit 1 if a screen's
 *     reads, items or read units change with the store's size.
 * (b) One order end to end (接车 → 诊断 → 报价 → 确认 → 派工 → 开工/收工 → 三检 → 结算 → 交车), each
 *     step by the role that owns it: units counted on the wire (`ReturnConsumedCapacity: INDEXES`), the
 *     events the stream carries to the router, the queue messages it sends and the consumers' own
 *     DynamoDB work; priced at on-demand list prices (below). Exit 1 above $0.001 an order.
 * Results also go to bench/repair-orders-results.json.
 */

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const SIZES = [100, 1_000, 10_000].filter((n) => n <= Number(process.env.RO_BENCH_MAX_ORDERS ?? 10_000));
const OPEN_ON_BOARD = 50;
const TARGET_PER_ORDER = 0.001;

/**
 * List prices, us-east-1, USD (December 2026). DynamoDB on-demand after the November 2024 cut that
 * halved them; Lambda's arm64 duration price (the functions are `ARM_64`, infra/lib/functions.ts);
 * SQS standard queues; API Gateway HTTP API's first tier; S3 Standard requests (the counter signature's
 * upload, and the seal's read of it). Free tiers are left out.
 */
const PRICE = {
  writeRequestUnit: 0.625 / 1e6,
  readRequestUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  httpApiRequest: 1.0 / 1e6,
  s3Put: 0.005 / 1e3,
  s3Get: 0.0004 / 1e3,
};
/** `MEMORY_MB` in infra/lib/functions.ts: the API functions and the workers (router, consumers). */
const MEMORY_GB = { api: 1, worker: 0.5 };
/** The router's billed time an invocation, assumed (it reads no table, sends one SendMessageBatch). */
const ROUTER_MS = 100;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The bench is one user at a time, but sends requests back to back: limits far above that, so it
// measures the screens and not 429s.
process.env.RATE_LIMIT_USER_RPS ??= '100000';
process.env.RATE_LIMIT_TENANT_RPS ??= '100000';

const stack = await startLocalStack({
  port: 0,
  seed: { customersPerStore: Number(process.env.RO_BENCH_CUSTOMERS ?? 5) },
  webDir: false,
  pollers: false,
});
const counter = await startDynamoCounter(stack.dynamoEndpoint, { capacity: 'INDEXES' });
// Before the first API request: the API's clients, the router's and the consumers' resolve their
// endpoint from this on their first call (the seed has used only its own client).
process.env.AWS_ENDPOINT_URL_DYNAMODB = counter.url;
const failures: string[] = [];

type Body = Record<string, unknown> & { id?: string; version?: number };
interface Answer {
  status: number;
  body: Body;
  ms: number;
}

try {
  const store = FIRST_STORE;
  const t = store.id;
  const tenant = stack.data.forTenant({ tenantId: t, actor: { userId: 'bench', name: 'bench', roles: [] } });
  const repo = tenant.repo(RepairOrders);
  const raw = new DynamoDBClient({ endpoint: counter.url });
  const write = (items: Record<string, unknown>[]) => batchWrite(raw, stack.tableName, items, 8);

  const userOf = (role: Parameters<typeof demoUserFor>[0]) => demoUserFor(role, t);
  const advisor = userOf('service_advisor');
  const workshopManager = userOf('workshop_manager');
  const technician = userOf('technician');
  const finalChecker = userOf('technical_director');
  const tokens = new Map<string, string>();
  for (const u of [advisor, workshopManager, technician, finalChecker])
    tokens.set(u.id, await stack.tokenFor(u.id));

  /** One API request as the web app makes it: JSON, the user's token, `If-Match` when a version is given. */
  async function call(
    user: { id: string },
    method: string,
    path: string,
    opts: { body?: unknown; version?: number; idempotencyKey?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(user.id)}` };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.version !== undefined) headers['if-match'] = `"${opts.version}"`;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    const t0 = performance.now();
    const res = await fetch(`${stack.url}/v1/stores/${t}${path}`, {
      method,
      headers,
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return { status: res.status, body: JSON.parse(text || '{}') as Body, ms };
  }

  // (b)'s car, made now: its events reach DynamoDB Local's stream seconds late, and are not the order's.
  const { items: ops } = (await call(advisor, 'GET', '/setup/labour-ops?limit=100')).body as {
    items: { id: string; code: string }[];
  };
  const { items: parts } = (await call(advisor, 'GET', '/parts?limit=1')).body as { items: { id: string }[] };
  const brakes = ops.find((o) => o.code === 'BRK-01')?.id;
  const other = ops.find((o) => o.code === 'BRK-02')?.id;
  if (!brakes || !other || !parts[0]) throw new Error('the demo catalogue lacks BRK-01, BRK-02 or parts');
  // A returning customer's car: registry work is not the order's.
  const suffix = String(Date.now()).slice(-8);
  const customer = await call(advisor, 'POST', '/customers', {
    body: { name: `成本测试${suffix}`, phones: [{ number: `137${suffix}` }] },
  });
  const rand = (n: number) =>
    Array.from({ length: n }, () => 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'[Math.floor(Math.random() * 33)]).join(
      '',
    );
  const draft = `LFV${rand(5)}0${rand(2)}${suffix.slice(-6)}`;
  const vehicle = await call(advisor, 'POST', '/vehicles', {
    body: {
      vin: `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`,
      plate: `京D${suffix.slice(-5)}`,
      brand: 'Audi',
      model: 'A4L',
      ownerCustomerId: customer.body.id,
    },
  });

  // ── (a) the screens as the store's orders grow ──
  // The seed's orders: a month delivered, and today's board with an order in every open state.
  const seeded: RepairOrder[] = [];
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await repo.touchedSince('0', { limit: 100, cursor });
    seeded.push(...page.items);
    cursor = page.nextCursor;
  }
  const open = seeded.filter((ro) => !['delivered', 'cancelled'].includes(ro.status));
  const delivered = seeded.filter((ro) => ro.status === 'delivered');
  if (open.length === 0 || delivered.length === 0 || open.length > OPEN_ON_BOARD)
    throw new Error(`the seed gave ${open.length} open and ${delivered.length} delivered orders`);
  // The board's other open orders: copies of the seed's (every state), promised later in the day.
  const copies = Array.from({ length: OPEN_ON_BOARD - open.length }, (_, i) => {
    const of = open[i % open.length]!;
    const promisedAt = new Date(Date.parse(of.promisedAt) + (i + 1) * 60_000).toISOString();
    return { ...of, id: newId('ro'), promisedAt };
  });
  await write(copies.map((ro) => repo.toItem(ro)));
  let orders = seeded.length + copies.length;
  // The order the detail screen shows: the seed's open order with the most on it.
  const shown = [...open].sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length)[0]!;

  /** Counts one API request alone (the web sends a screen's requests at once; the counts are the same). */
  async function counted(into: Record<string, Tally>, label: string, request: () => Promise<Answer>) {
    const measurement = counter.measure();
    const answer = await request();
    into[label] = measurement.stop();
    return answer;
  }
  /** What the web's order page requests on opening (RepairOrderPage, LemonBanner, WalkAroundPanel, HistoryList). */
  async function detailScreen(): Promise<{ requests: Record<string, Tally>; shown: number }> {
    const base = `/repair-orders/${shown.id}`;
    const requests: Record<string, Tally> = {};
    await counted(requests, 'GET the order', () => call(advisor, 'GET', base));
    await counted(requests, 'GET its walk-around', () => call(advisor, 'GET', `${base}/walk-around`));
    await counted(requests, 'GET checklist templates', () =>
      call(advisor, 'GET', '/setup/checklist-templates?limit=50'),
    );
    const history = await counted(requests, 'GET its history', () => call(advisor, 'GET', `${base}/history`));
    await counted(requests, 'GET its car’s 三包 status', () =>
      call(advisor, 'GET', `/lemon-law/vehicles/${shown.vehicleId}`),
    );
    // The history names the customers its changes mention, each looked up once.
    const ids = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && v.startsWith('cus_')) ids.add(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
    };
    walk((history.body.items as { changes: unknown }[]).map((e) => e.changes));
    for (const [i, id] of [...ids].entries())
      await counted(requests, `GET a customer its history names (${i + 1})`, () =>
        call(advisor, 'GET', `/customers/${id}`),
      );
    return { requests, shown: 1 };
  }
  async function boardScreen(): Promise<{ requests: Record<string, Tally>; shown: number }> {
    const requests: Record<string, Tally> = {};
    const board = await counted(requests, 'GET the workshop board', () =>
      call(workshopManager, 'GET', '/workshop-board'),
    );
    const cards = (board.body.cards as unknown[]).length;
    if (cards !== OPEN_ON_BOARD) failures.push(`the board shows ${cards} orders, not ${OPEN_ON_BOARD}`);
    return { requests, shown: cards };
  }
  /** The same items read straight from DynamoDB Local: the keys are the declarations' (repair-orders.ts, staff.ts). */
  const RAW = {
    'RO detail: GetItem of the order': () =>
      raw.send(new GetItemCommand({ TableName: stack.tableName, Key: marshall(repo.key(shown.id)) })),
    'board: Query of 50 open orders + Query of the staff': () =>
      Promise.all([
        raw.send(
          new QueryCommand({
            TableName: stack.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: marshall({ ':pk': `${t}#ROOPEN` }),
            Limit: OPEN_ON_BOARD,
          }),
        ),
        raw.send(
          new QueryCommand({
            TableName: stack.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: marshall({ ':pk': `${t}#STAFFS` }),
            Limit: 200,
          }),
        ),
      ]),
  };
  const SCREENS = { 'RO detail screen': detailScreen, 'workshop board (50 open)': boardScreen };

  type Measured = Tally & { apiRequests: number; shown: number; byRequest: Record<string, Tally> };
  const growth: { orders: number; screens: Record<string, Measured>; raw: Record<string, Tally> }[] = [];
  // Warm the API's caches (principal, memberships, store), so each screen is counted alone.
  for (const screen of Object.values(SCREENS)) await screen();
  const template = delivered;
  for (const size of SIZES) {
    const more: Record<string, unknown>[] = [];
    for (; orders < size; orders++) {
      const of = template[orders % template.length]!;
      more.push(repo.toItem({ ...of, id: newId('ro') }));
    }
    const t0 = performance.now();
    await write(more);
    // Warm again: a write of thousands takes longer than the API's caches live (the principal 30 s,
    // the store 60 s), and their re-reads, once a minute whatever the screen, are not the screen's.
    for (const screen of Object.values(SCREENS)) await screen();
    const screens: Record<string, Measured> = {};
    for (const [name, screen] of Object.entries(SCREENS)) {
      const { requests, shown: n } = await screen();
      screens[name] = {
        ...sumTallies(Object.values(requests)),
        apiRequests: Object.keys(requests).length,
        shown: n,
        byRequest: requests,
      };
    }
    const rawTallies: Record<string, Tally> = {};
    for (const [name, read] of Object.entries(RAW)) {
      const measurement = counter.measure();
      await read();
      rawTallies[name] = measurement.stop();
    }
    growth.push({ orders: size, screens, raw: rawTallies });
    console.log(
      `${size} repair orders in the store (${more.length} written in ${((performance.now() - t0) / 1000).toFixed(1)} s):`,
    );
    for (const [name, x] of Object.entries(screens))
      console.log(
        `  API ${name.padEnd(28)} ${x.apiRequests} API requests · ${x.requests} DynamoDB requests (${operations(x)}) · ${x.items} items · ${x.readUnits} RCU`,
      );
    for (const [request, x] of Object.entries(screens['RO detail screen']!.byRequest))
      console.log(
        `      ${request.padEnd(40)} ${x.reads} reads (${operations(x)}) · ${x.items} items · ${x.readUnits} RCU`,
      );
    for (const [name, x] of Object.entries(rawTallies))
      console.log(`  raw ${name.padEnd(52)} ${x.requests} requests · ${x.items} items · ${x.readUnits} RCU`);
  }
  failures.push(
    ...grownCosts(
      growth.map((g) => ({
        label: `${g.orders} orders`,
        screens: Object.fromEntries(Object.entries(g.screens).map(([name, x]) => [name, sumTallies([x])])),
      })),
    ),
  );
  // The web's requests per screen must hold too (a screen that would page further as the store grows).
  for (const g of growth)
    for (const [name, x] of Object.entries(g.screens)) {
      const first = growth[0]!.screens[name]!;
      if (x.apiRequests !== first.apiRequests)
        failures.push(`${name} at ${g.orders} orders: ${x.apiRequests} API requests ≠ ${first.apiRequests}`);
    }

  // ── (b) one order, check-in to delivery ──
  interface Step {
    step: string;
    role: string;
    ms: number;
    tally: Tally;
    events: number;
    routerInvocations: number;
    messages: Record<string, number>;
    consumerInvocations: number;
    consumerMs: number;
    consumerTally: Tally;
  }
  /** Reads the stream into the router until it is empty (DynamoDB Local's stream can lag a moment). */
  async function route(settle = 3): Promise<{ events: number; invocations: number }> {
    let events = 0;
    let invocations = 0;
    for (let idle = 0; idle < settle; ) {
      const n = await stack.streams.pollOnce();
      if (n > 0) {
        events += n;
        invocations++;
        idle = 0;
      } else {
        idle++;
        await new Promise((r) => setTimeout(r, 30));
      }
    }
    return { events, invocations };
  }
  /** Every queue polled until empty: its consumer runs once a batch, as Lambda's SQS trigger does. */
  async function consume(): Promise<{ messages: Record<string, number>; invocations: number; ms: number }> {
    const messages: Record<string, number> = {};
    let invocations = 0;
    let ms = 0;
    for (const [queue, poller] of stack.pollers)
      for (;;) {
        const t0 = performance.now();
        const n = await poller.pollOnce(0);
        if (n === 0) break;
        ms += performance.now() - t0;
        messages[queue] = (messages[queue] ?? 0) + n;
        invocations++;
      }
    return { messages, invocations, ms };
  }
  // What the set-up above sent to the stream and the queues is not the order's (records can reach
  // DynamoDB Local's stream a second late: wait that long for the last).
  await route(50);
  await consume();

  const steps: Step[] = [];
  let ro: Body = {};
  async function step(
    name: string,
    user: { id: string; username: string },
    method: string,
    path: string,
    opts: { body?: unknown; version?: boolean; idempotencyKey?: string; settle?: number } = {},
  ): Promise<Body> {
    const { version, settle, ...rest } = opts;
    const measurement = counter.measure();
    const answer = await call(user, method, path, version ? { ...rest, version: ro.version } : rest);
    const tally = measurement.stop();
    const routed = await route(settle);
    const consumers = counter.measure();
    const consumed = await consume();
    steps.push({
      step: name,
      role: user.username,
      ms: answer.ms,
      tally,
      events: routed.events,
      routerInvocations: routed.invocations,
      messages: consumed.messages,
      consumerInvocations: consumed.invocations,
      consumerMs: consumed.ms,
      consumerTally: consumers.stop(),
    });
    return answer.body;
  }
  const rp = (path: string) => `/repair-orders${path}`;
  ro = await step('check-in (接车), walk-in, two concerns', advisor, 'POST', rp(''), {
    idempotencyKey: `bench-${suffix}`,
    body: {
      source: { kind: 'walk_in' },
      customerId: customer.body.id,
      vehicleId: vehicle.body.id,
      odometerKm: 31_000,
      fuelLevel: 5,
      promisedAt: new Date(Date.now() + 5 * 3_600_000).toISOString(),
      concerns: [{ words: '刹车异响' }, { words: '后刹车片磨损报警', payer: 'warranty' }],
    },
  });
  const id = ro.id!;
  ro = await step('diagnosis (诊断)', advisor, 'POST', rp(`/${id}/transitions`), {
    body: { to: 'diagnosing' },
    version: true,
  });
  ro = await step('line L1: 3C, labour, a part, consumables', advisor, 'PUT', rp(`/${id}/lines/L1`), {
    version: true,
    body: {
      complaint: '刹车异响',
      cause: '前刹车片磨损到极限',
      correction: '更换前刹车片',
      payer: 'customer',
      labour: [{ labourOpId: brakes }],
      parts: [{ partId: parts[0].id, quantity: 1 }],
      consumables: [{ name: '刹车清洗剂', amount: { amountMinor: 1500, currency: 'CNY' } }],
    },
  });
  ro = await step('line L2: warranty labour', advisor, 'PUT', rp(`/${id}/lines/L2`), {
    version: true,
    body: { complaint: '后刹车片磨损报警', payer: 'warranty', labour: [{ labourOpId: other }] },
  });
  ro = await step('quote (报价)', advisor, 'POST', rp(`/${id}/quotes`), { version: true });
  // 客户签字: the drawn PNG goes straight to S3 (one PUT), and its seal reads it back to hash (one GET).
  const signature = new TextEncoder().encode('\x89PNG\r\n\x1a\n bench signature');
  const upload = (await step('signature upload URL (签字)', advisor, 'POST', rp(`/${id}/photos`), {
    body: { contentType: 'image/png', bytes: signature.byteLength },
  })) as Body & { photoId: string; url: string; method: string; headers: Record<string, string> };
  const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: signature });
  if (!put.ok) throw new Error(`the signature's upload answered ${put.status}`);
  await step('signature sealed (封存)', advisor, 'POST', rp(`/${id}/photos/${upload.photoId}/seal`), {
    body: { purpose: 'signature' },
  });
  const s3 = { put: 1, get: 1 };
  ro = await step('counter approval (确认), both lines', advisor, 'POST', rp(`/${id}/approvals`), {
    body: {
      quoteVersion: 1,
      method: 'counter_signature',
      approverName: '成本测试客户',
      from: 'counter-tablet-1',
      signatureRef: `photo:${upload.photoId}`,
      decisions: [
        { lineId: 'L1', approved: true },
        { lineId: 'L2', approved: true },
      ],
    },
  });
  for (const line of ['L1', 'L2']) {
    const at = rp(`/${id}/lines/${line}`);
    await step(`${line} dispatch (派工)`, workshopManager, 'POST', `${at}/dispatch`, {
      body: { technicianId: technician.id },
    });
    await step(`${line} clock on (开工)`, technician, 'POST', `${at}/clock-on`);
    await step(`${line} clock off, done (完工)`, technician, 'POST', `${at}/clock-off`, {
      body: { outcome: 'done' },
    });
    await step(`${line} self check (自检)`, technician, 'POST', `${at}/checks`, {
      body: { stage: 'self', passed: true },
    });
    await step(`${line} team check (互检)`, workshopManager, 'POST', `${at}/checks`, {
      body: { stage: 'team', passed: true },
    });
    ro = await step(`${line} final check (总检)`, finalChecker, 'POST', `${at}/checks`, {
      body: { stage: 'final', passed: true },
    });
  }
  const quotes = ro.quotes as { byPayer: { payer: string; total: number }[] }[];
  const due = quotes.at(-1)?.byPayer.find((s) => s.payer === 'customer')?.total ?? 0;
  ro = await step('settlement (结算), the customer pays', advisor, 'POST', rp(`/${id}/settlement`), {
    version: true,
    body: { payments: due ? [{ method: 'wechat', amount: { amountMinor: due, currency: 'CNY' } }] : [] },
  });
  ro = await step('delivery (交车)', advisor, 'POST', rp(`/${id}/delivery`), {
    version: true,
    // The last step: wait for every record of the order to reach the stream.
    settle: 50,
    body: { keysHandedOver: true, valuablesReturned: true, workExplained: true, oldParts: 'none' },
  });
  if (ro.status !== 'delivered') failures.push(`the walked order ended ${String(ro.status)}`);
  // What one save writes: the order is one item (lines, quotes, approvals inline), about this size
  // (DynamoDB counts attribute names and values; the JSON of the item is close).
  const walked = await repo.require(id);
  const orderItemBytes = Buffer.byteLength(JSON.stringify(repo.toItem(walked)));

  const sum = (f: (s: Step) => number) => steps.reduce((n, s) => n + f(s), 0);
  const totals = {
    orderItemBytes,
    apiRequests: steps.length,
    apiMs: sum((s) => s.ms),
    dynamoRequests: sum((s) => s.tally.requests),
    readUnits: sum((s) => s.tally.readUnits),
    writeUnits: sum((s) => s.tally.writeUnits),
    indexUnits: sum((s) => s.tally.indexUnits),
    events: sum((s) => s.events),
    routerInvocations: sum((s) => s.routerInvocations),
    messages: sum((s) => Object.values(s.messages).reduce((a, b) => a + b, 0)),
    consumerInvocations: sum((s) => s.consumerInvocations),
    consumerMs: sum((s) => s.consumerMs),
    consumerRequests: sum((s) => s.consumerTally.requests),
    consumerReadUnits: sum((s) => s.consumerTally.readUnits),
    consumerWriteUnits: sum((s) => s.consumerTally.writeUnits),
  };
  // Invocations, assumed as in AWS when a day's steps lie minutes apart: every API request is one
  // invocation of the workshop function; every step's transaction reaches the router in a stream batch
  // of its own (one router invocation per API request, DynamoDB Local's stream lags too much to tell
  // here); every queue message is a consumer batch of its own. Billed time: the API's requests as
  // long as each took here end to end (DynamoDB Local on a loaded 2-core machine: more than in AWS),
  // a consumer invocation as long as the measured batches took on average, the router 100 ms.
  const invocations = {
    api: totals.apiRequests,
    router: totals.apiRequests,
    consumers: totals.messages,
  };
  const consumerMsEach = totals.consumerInvocations ? totals.consumerMs / totals.consumerInvocations : 0;
  const cost = {
    dynamoWrites: (totals.writeUnits + totals.consumerWriteUnits) * PRICE.writeRequestUnit,
    dynamoReads: (totals.readUnits + totals.consumerReadUnits) * PRICE.readRequestUnit,
    // Send (one SendMessageBatch at most per message), receive and delete: three requests a message at most.
    sqs: totals.messages * 3 * PRICE.sqsRequest,
    lambdaRequests: (invocations.api + invocations.router + invocations.consumers) * PRICE.lambdaRequest,
    lambdaDuration:
      ((totals.apiMs / 1000) * MEMORY_GB.api +
        ((invocations.router * ROUTER_MS + invocations.consumers * consumerMsEach) / 1000) *
          MEMORY_GB.worker) *
      PRICE.lambdaGbSecond,
    httpApi: totals.apiRequests * PRICE.httpApiRequest,
    s3: s3.put * PRICE.s3Put + s3.get * PRICE.s3Get,
  };
  const perOrder = Object.values(cost).reduce((a, b) => a + b, 0);
  console.log('one repair order, check-in to delivery:');
  for (const s of steps)
    console.log(
      `  ${s.step.padEnd(42)} ${s.role.padEnd(12)} ${s.tally.requests} DynamoDB requests (${operations(s.tally)}) · ${s.tally.readUnits} RCU · ${s.tally.writeUnits} WCU (${s.tally.indexUnits} on indexes) · ${s.events} events → ${JSON.stringify(s.messages)} · consumers ${s.consumerTally.requests} requests, ${s.consumerTally.writeUnits} WCU`,
    );
  console.log(`  totals: ${JSON.stringify(totals)}`);
  console.log(`  invocations priced (assumed, see above): ${JSON.stringify(invocations)}`);
  console.log(
    `  cost: ${Object.entries(cost)
      .map(([k, v]) => `${k} $${v.toFixed(7)}`)
      .join(' · ')}`,
  );
  console.log(`  per order: $${perOrder.toFixed(6)} (target ≤ $${TARGET_PER_ORDER})`);
  if (perOrder > TARGET_PER_ORDER)
    failures.push(`one repair order costs $${perOrder.toFixed(6)}, above $${TARGET_PER_ORDER}`);

  writeFileSync(
    join(BENCH_DIR, 'repair-orders-results.json'),
    `${JSON.stringify({ growth, order: { steps, totals, invocations, cost, perOrder, prices: PRICE, memoryGb: MEMORY_GB } }, null, 2)}\n`,
  );
  await counter.close();
  raw.destroy();
} finally {
  await stack.stop();
}
verdict(
  failures,
  `Every screen read the same at every size, and one order cost at most $${TARGET_PER_ORDER}.`,
);
