import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataAccess } from '@aftersales/data';
import { Parts, StockLedger } from '@aftersales/data/parts';
import { type Actor, newId, type Part, type StockMovement, toMinor } from '@aftersales/domain';
import { startLocalStack } from '@aftersales/local';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { batchWrite } from './batch-write.ts';
import { grownCosts, operations, startDynamoCounter, type Tally } from './dynamo-counter.ts';
import { verdict } from './verdict.ts';

/**
 * `tsx bench/parts.ts`: the stock ledger under contention and as it grows, on the embedded local stack.
 *
 * (a) Issuing (出库): 10 concurrent workers each issue one unit at a time through `StockLedger.move`
 *     (one transaction: book, bin, ledger line, event), all from ONE part or each from its own part;
 *     beside them, in the same rounds, raw conditional `UpdateItem`s (`ADD onHand :minus` under
 *     `onHand >= :one`) on one item or on ten. Throughput, p50/p95 per issue, cancelled transactions
 *     and retries, and write units per issue counted on the wire. Rounds alternate the four scenarios,
 *     so drift of the shared machine falls on all of them.
 * (b) The stock-by-location screen (`byLocation`, a page of 50), one part's ledger page (50 newest) and
 *     the obsolete-stock screen (a page of 50 idle parts: one Query and one BatchGet)
 *     as the store's ledger grows from 1,000 to 100,000 lines (half of them the measured part's own
 *     card): DynamoDB requests, items and read units must not change (exit 1 if they do). The growth
 *     is written as ledger-shaped items by BatchWriteItem; the screens are read through the repository.
 * Results also go to bench/parts-results.json.
 */

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const WORKERS = 10;
const ISSUES_PER_WORKER = Number(process.env.PARTS_BENCH_ISSUES ?? 40);
const ROUNDS = Number(process.env.PARTS_BENCH_ROUNDS ?? 3);
const SIZES = [1_000, 10_000, 100_000].filter(
  (n) => n <= Number(process.env.PARTS_BENCH_MAX_LINES ?? 100_000),
);
const SHELF_PARTS = 120;
const TENANT = 'st_BENCHPARTS';
const ACTOR: Actor = { userId: 'bench', name: 'bench', roles: [] };

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const stack = await startLocalStack({ port: 0, seed: false, webDir: false, pollers: false });
const failures: string[] = [];
try {
  const counter = await startDynamoCounter(stack.dynamoEndpoint);
  // The repository and the raw client both talk through the counting pass-through.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = counter.url;
  const data = new DataAccess({ tableName: stack.tableName });
  const raw = new DynamoDBClient({ endpoint: counter.url });
  const tenant = data.forTenant({ tenantId: TENANT, actor: ACTOR });
  const parts = tenant.repo(Parts);
  const ledger = tenant.repo(StockLedger);

  const yuan = (n: number) => ({ amountMinor: toMinor(n), currency: 'CNY' as const });
  const makePart = async (n: number, bin: string, quantity: number): Promise<Part> => {
    const { part } = await parts.create({
      partNumber: `BENCH${String(n).padStart(5, '0')}`,
      name: { zh: `测试配件 ${n}`, en: `Bench part ${n}` },
      brand: 'Audi',
      models: [],
      unit: 'piece',
      listPrice: yuan(100),
      cost: yuan(60),
      minStock: 0,
      maxStock: 0,
      defaultBin: bin,
      active: true,
    });
    await ledger.move(part, {
      kind: 'receive',
      bin,
      quantity,
      document: { type: 'receipt', id: 'RK-BENCH' },
    });
    return part;
  };
  const binOf = (n: number) =>
    `${'ABCD'[n % 4]}-${String(Math.floor(n / 40) + 1).padStart(2, '0')}-${(n % 10) + 1}-${String(n % 40).padStart(2, '0')}`;

  // ── (a) issuing under contention ──
  const stock = ROUNDS * WORKERS * ISSUES_PER_WORKER + 100;
  const contended = await makePart(0, binOf(0), stock);
  const spread = await Promise.all(
    Array.from({ length: WORKERS }, (_, i) => makePart(i + 1, binOf(i + 1), stock)),
  );
  const rawKey = (n: number) => ({ pk: `BENCH#RAW#${n}`, sk: 'BOOK' });
  for (let n = 0; n < WORKERS; n++)
    await raw.send(
      new UpdateItemCommand({
        TableName: stack.tableName,
        Key: marshall(rawKey(n)),
        UpdateExpression: 'SET onHand = :n',
        ExpressionAttributeValues: marshall({ ':n': stock }),
      }),
    );

  type Scenario =
    | 'ledger, one part'
    | 'ledger, 10 parts'
    | 'raw UpdateItem, one item'
    | 'raw UpdateItem, 10 items';
  const issueOnce: Record<Scenario, (worker: number) => Promise<unknown>> = {
    'ledger, one part': () =>
      ledger.move(contended, {
        kind: 'issue',
        bin: contended.defaultBin!,
        quantity: 1,
        document: { type: 'requisition', id: 'LL-BENCH' },
      }),
    'ledger, 10 parts': (w) =>
      ledger.move(spread[w]!, {
        kind: 'issue',
        bin: spread[w]!.defaultBin!,
        quantity: 1,
        document: { type: 'requisition', id: 'LL-BENCH' },
      }),
    'raw UpdateItem, one item': () => rawIssue(0),
    'raw UpdateItem, 10 items': (w) => rawIssue(w),
  };
  function rawIssue(n: number) {
    return raw.send(
      new UpdateItemCommand({
        TableName: stack.tableName,
        Key: marshall(rawKey(n)),
        UpdateExpression: 'ADD onHand :minus',
        ConditionExpression: 'onHand >= :one',
        ExpressionAttributeValues: marshall({ ':minus': -1, ':one': 1 }),
      }),
    );
  }

  interface Run {
    issues: number;
    seconds: number;
    perSecond: number;
    p50: number;
    p95: number;
    tally: Tally;
  }
  const run = async (scenario: Scenario): Promise<Run> => {
    const latencies: number[] = [];
    const measurement = counter.measure();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let i = 0; i < ISSUES_PER_WORKER; i++) {
          const t0 = performance.now();
          await issueOnce[scenario](w);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const tally = measurement.stop();
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return {
      issues: latencies.length,
      seconds,
      perSecond: latencies.length / seconds,
      p50: at(0.5),
      p95: at(0.95),
      tally,
    };
  };
  const scenarios = Object.keys(issueOnce) as Scenario[];
  // Warm-up (JIT, connections), not reported.
  for (const s of scenarios) await issueOnce[s](0);
  const rounds: Record<Scenario, Run>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? scenarios : [...scenarios].reverse();
    const round = {} as Record<Scenario, Run>;
    for (const s of order) round[s] = await run(s);
    rounds.push(round);
    console.log(`round ${r + 1}:`);
    for (const s of scenarios) {
      const x = round[s];
      const requests = operations(x.tally);
      console.log(
        `  ${s.padEnd(26)} ${x.perSecond.toFixed(0).padStart(5)}/s · p50 ${x.p50.toFixed(1)} ms · p95 ${x.p95.toFixed(1)} ms · ${(x.tally.writeUnits / x.issues).toFixed(1)} WCU/issue · refused ${JSON.stringify(x.tally.errors)} · ${requests}`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = Object.fromEntries(
    scenarios.map((s) => {
      const runs = rounds.map((r) => r[s]);
      const refused = runs.reduce((n, x) => n + Object.values(x.tally.errors).reduce((a, b) => a + b, 0), 0);
      const issues = runs.reduce((n, x) => n + x.issues, 0);
      const requests = (x: Run) => Object.values(x.tally.byOperation).reduce((a, b) => a + b, 0);
      return [
        s,
        {
          perSecond: median(runs.map((x) => x.perSecond)),
          perSecondRange: [
            Math.min(...runs.map((x) => x.perSecond)),
            Math.max(...runs.map((x) => x.perSecond)),
          ],
          p50: median(runs.map((x) => x.p50)),
          p50Range: [Math.min(...runs.map((x) => x.p50)), Math.max(...runs.map((x) => x.p50))],
          p95: median(runs.map((x) => x.p95)),
          p95Range: [Math.min(...runs.map((x) => x.p95)), Math.max(...runs.map((x) => x.p95))],
          refusedPerIssue: refused / issues,
          requestsPerIssue: runs.reduce((n, x) => n + requests(x), 0) / issues,
          writeUnitsPerIssue: runs.reduce((n, x) => n + x.tally.writeUnits, 0) / issues,
          readUnitsPerIssue: runs.reduce((n, x) => n + x.tally.readUnits, 0) / issues,
        },
      ];
    }),
  );
  console.log('median of rounds [range]:');
  for (const [s, x] of Object.entries(summary))
    console.log(
      `  ${s.padEnd(26)} ${x.perSecond.toFixed(0)}/s [${x.perSecondRange.map((v) => v.toFixed(0)).join('–')}] · p50 ${x.p50.toFixed(1)} ms [${x.p50Range.map((v) => v.toFixed(1)).join('–')}] · p95 ${x.p95.toFixed(1)} ms [${x.p95Range.map((v) => v.toFixed(1)).join('–')}] · ${x.requestsPerIssue.toFixed(2)} requests, ${x.writeUnitsPerIssue.toFixed(1)} WCU, ${x.readUnitsPerIssue.toFixed(1)} RCU and ${x.refusedPerIssue.toFixed(2)} refusals per issue`,
    );
  // The ledger is exact under contention: book, card and shelf agree with what was issued.
  const book = await ledger.book(contended.id);
  const issuedFromOne = ROUNDS * WORKERS * ISSUES_PER_WORKER + 1;
  if (book.onHand !== stock - issuedFromOne)
    failures.push(`the contended part holds ${book.onHand}, not ${stock - issuedFromOne}`);
  const [shelf] = await ledger.binsOf(contended.id);
  if (shelf?.onHand !== book.onHand) failures.push(`its bin holds ${shelf?.onHand}, its book ${book.onHand}`);

  // ── (b) the screens as the ledger grows ──
  const shelves = await Promise.all(
    Array.from({ length: SHELF_PARTS }, (_, i) => makePart(100 + i, binOf(100 + i), 50)),
  );
  const measured = shelves[0]!;
  const write = (items: Record<string, unknown>[]) => batchWrite(raw, stack.tableName, items, 8);
  // Ledger lines from a year ago on: older than every line the bench's own moves wrote.
  const yearAgo = Date.now() - 365 * 86_400_000;
  let lines = 0;
  const line = (part: Part, n: number): Record<string, unknown> => {
    const movement: StockMovement = {
      id: newId('mov', yearAgo + n * 60_000),
      partId: part.id,
      partNumber: part.partNumber,
      kind: n % 2 === 0 ? 'issue' : 'return',
      quantity: 1,
      bin: part.defaultBin!,
      onHandDelta: n % 2 === 0 ? -1 : 1,
      reservedDelta: 0,
      custodyDelta: 0,
      valueMinor: n % 2 === 0 ? -6000 : 6000,
      unitCostMinor: 6000,
      document: { type: 'repair_order', id: `RO-BENCH-${Math.floor(n / 4)}` },
      firstRequestFilled: true,
      by: { userId: 'bench', name: 'bench' },
      at: new Date(yearAgo + n * 60_000).toISOString(),
    };
    return parts.childItem('movements', part.id, movement);
  };
  const SCREENS = {
    'stock by location (page of 50)': () => ledger.byLocation('', { limit: 50 }),
    "a part's ledger (page of 50)": () => ledger.ledger(measured.id, { limit: 50 }),
    // 呆滞: read as of 13 months on, when every shelf has been idle for a year.
    'obsolete stock (page of 50)': () =>
      ledger.obsolete(new Date(Date.now() + 400 * 86_400_000), { limit: 50 }),
  };
  const growth: { ledgerLines: number; screens: Record<string, Tally & { shown: number }> }[] = [];
  for (const size of SIZES) {
    const more: Record<string, unknown>[] = [];
    // Half the growth on the measured part's own card, the rest spread over the other shelves.
    for (; lines < size; lines++)
      more.push(line(lines % 2 === 0 ? measured : shelves[1 + (lines % (SHELF_PARTS - 1))]!, lines));
    const t0 = performance.now();
    await write(more);
    const screens: Record<string, Tally & { shown: number }> = {};
    for (const [name, screen] of Object.entries(SCREENS)) {
      await screen();
      const measurement = counter.measure();
      const page = await screen();
      screens[name] = { ...measurement.stop(), shown: page.items.length };
    }
    growth.push({ ledgerLines: size, screens });
    console.log(
      `${size} ledger lines (${more.length} written in ${((performance.now() - t0) / 1000).toFixed(1)} s):`,
    );
    for (const [name, t] of Object.entries(screens))
      console.log(
        `  ${name.padEnd(32)} ${t.shown} shown · ${t.requests} requests (${operations(t)}) · ${t.items} items · ${t.readUnits} RCU`,
      );
  }
  failures.push(...grownCosts(growth.map((g) => ({ label: `${g.ledgerLines} lines`, screens: g.screens }))));
  writeFileSync(
    join(BENCH_DIR, 'parts-results.json'),
    `${JSON.stringify({ workers: WORKERS, issuesPerWorker: ISSUES_PER_WORKER, rounds, summary, growth }, null, 2)}\n`,
  );
  await counter.close();
  raw.destroy();
} finally {
  await stack.stop();
}
verdict(
  failures,
  'The ledger stayed exact under contention, and every screen read the same at every ledger size.',
);
