import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dynamoDbClient } from '@aftersales/data';
import { DEMO_ORGS, DEMO_PASSWORD, DEMO_USERS } from '@aftersales/seed';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { type LambdaBundleResult, measureLambdaBundles, PAIRED_IMPORT_RUNS } from './bundles.ts';
import {
  directLoad,
  httpLoad,
  keepAliveGetter,
  type LoadShape,
  type Measurement,
  median,
  type PairedMeasurement,
  pairedLoad,
} from './load.ts';
import { type StackProcess, type StopReport, startStackProcess } from './stack-process.ts';

/**
 * `pnpm bench`: (1) the API against DynamoDB Local itself, same items, same load, one run; (2) the
 * Lambda bundles as CDK builds them, their size and cold import time. Prints a report and writes
 * bench/results.json. See bench/README.md.
 */

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(BENCH_DIR, '..');
const RESULTS_FILE = join(BENCH_DIR, 'results.json');
/** Bundles go under `dist/`, which git and Biome already ignore. */
const BUNDLE_DIR = join(BENCH_DIR, 'dist');

/** Every scenario runs at each of these: one connection shows per-request cost, ten show throughput. */
const SHAPES: LoadShape[] = [
  { connections: 1, warmupSeconds: 2, seconds: 6 },
  { connections: 10, warmupSeconds: 2, seconds: 8 },
];
const SHAPE = SHAPES[SHAPES.length - 1]!;
/**
 * Every shape runs all its scenarios this many times, one round after another. Client, API and DynamoDB
 * Local share the machine's cores, so one window can be off by milliseconds; each ratio is computed per
 * round (API and raw measured minutes apart never meet) and the report gives the median and the range.
 */
const ROUNDS = 3;
/**
 * Rounds of the paired scenarios (API and raw in turns). The added latency is a difference of about a
 * millisecond between two p50s of 5–7 ms, and one round's value moved by ±0.3 ms between runs: the
 * report gives the median of five.
 */
const PAIRED_ROUNDS = 5;
const VEHICLES = 50;
const MIN_VEHICLES = 10;

// Node here may be older than the SDK's supported floor; the warning is noise for a benchmark.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Ratio {
  /** API requests/s ÷ raw requests/s. */
  throughput: number;
  /** API p50 ÷ raw p50. */
  p50Latency: number;
  /** API p50 − raw p50, in ms. */
  p50AddedMs: number;
}

/** A ratio's median over the rounds, with each round's value. */
type RatioOverRounds = Ratio & { rounds: Ratio[] };

interface Results {
  ok: boolean;
  error?: string;
  startedAt: string;
  runtimeSeconds: number;
  machine: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    loadAverage1mStart: number;
    loadAverage1mEnd: number;
  };
  load: LoadShape & { storeId: string; user: string; vehicles: number };
  stack?: { startSeconds: number; stop?: StopReport };
  /** Per scenario, the median round (by requests/s) of its `ROUNDS` runs. */
  scenarios: Record<string, Measurement & { label: string; roundsRequestsPerSecond: number[] }>;
  apiOverRaw: Record<string, RatioOverRounds & { api: string; raw: string }>;
  /** API and raw in turns at one connection, every round. */
  paired: Record<string, PairedMeasurement[]>;
  lambdaBundles?: Record<string, LambdaBundleResult>;
}

interface PickedVehicle {
  id: string;
  plate: string;
}

const say = (msg: string) => console.log(`· ${msg}`);

// ---------------------------------------------------------------------------------------------------
// Demo data: the first store and its service advisor

function demoPersona(): { storeId: string; username: string } {
  const store = DEMO_ORGS.find((o) => o.kind === 'store');
  if (!store) throw new Error('the demo data has no store');
  const advisor = DEMO_USERS.find((u) =>
    u.memberships.some((m) => m.tenantId === store.id && m.roles.includes('service_advisor')),
  );
  if (!advisor) throw new Error(`the demo data has no service advisor in ${store.id}`);
  return { storeId: store.id, username: advisor.username };
}
const persona = demoPersona();

const startedAt = new Date();
const t0 = performance.now();
const results: Results = {
  ok: false,
  startedAt: startedAt.toISOString(),
  runtimeSeconds: 0,
  machine: {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    loadAverage1mStart: loadavg()[0] ?? 0,
    loadAverage1mEnd: 0,
  },
  load: { ...SHAPE, storeId: persona.storeId, user: persona.username, vehicles: 0 },
  scenarios: {},
  apiOverRaw: {},
  paired: {},
};

// ---------------------------------------------------------------------------------------------------
// API helpers

async function signIn(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/dev-idp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      username: persona.username,
      password: DEMO_PASSWORD,
    }),
  });
  if (!res.ok) throw new Error(`sign-in as ${persona.username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function getJson<T>(baseUrl: string, token: string, path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const storePath = (storeId: string) => `/v1/stores/${encodeURIComponent(storeId)}`;
const byIdPath = (storeId: string, v: PickedVehicle) =>
  `${storePath(storeId)}/vehicles/${encodeURIComponent(v.id)}`;
const byPlatePath = (storeId: string, v: PickedVehicle) =>
  `${storePath(storeId)}/vehicles?plate=${encodeURIComponent(v.plate)}`;

/** Recently served vehicles of the store that have a plate, newest first, through the API. */
async function pickVehicles(baseUrl: string, token: string, storeId: string): Promise<PickedVehicle[]> {
  const picked: PickedVehicle[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10 && picked.length < VEHICLES; page++) {
    const query = `recent=true&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const out = await getJson<{ items: { id: string; plate?: string }[]; nextCursor?: string }>(
      baseUrl,
      token,
      `${storePath(storeId)}/vehicles?${query}`,
    );
    for (const v of out.items) {
      if (v.plate && picked.length < VEHICLES) picked.push({ id: v.id, plate: v.plate });
    }
    if (!out.nextCursor) break;
    cursor = out.nextCursor;
  }
  if (picked.length < MIN_VEHICLES) {
    throw new Error(
      `only ${picked.length} recently served vehicles with plates in ${storeId}; need ${MIN_VEHICLES}`,
    );
  }
  return picked;
}

// ---------------------------------------------------------------------------------------------------
// Raw DynamoDB: the items the API reads, by the keys of packages/data (vehicles.ts, customers.ts)

function rawReads(ddb: DynamoDBClient, tableName: string, storeId: string) {
  const S = (s: string): AttributeValue => ({ S: s });
  return {
    /** The vehicle item alone. */
    async getItem(v: PickedVehicle): Promise<void> {
      const out = await ddb.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: S(`${storeId}#VEH#${v.id}`), sk: S('#VEH') } }),
      );
      if (out.Item?.id?.S !== v.id) throw new Error(`GetItem: no vehicle ${v.id}`);
    },
    /** What GET /vehicles/{id} reads: the vehicle with its links and its newest readings (in parallel), then the linked customers. */
    async detailReads(v: PickedVehicle): Promise<void> {
      const pk = S(`${storeId}#VEH#${v.id}`);
      const [head] = await Promise.all([
        ddb.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk AND #sk < :sk',
            ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
            ExpressionAttributeValues: { ':pk': pk, ':sk': S('LINK$') },
            Limit: 200,
          }),
        ),
        ddb.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
            ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
            ExpressionAttributeValues: { ':pk': pk, ':sk': S('ODO#') },
            ScanIndexForward: false,
            Limit: 21,
          }),
        ),
      ]);
      const items = head.Items ?? [];
      if (!items.some((i) => i.sk?.S === '#VEH')) throw new Error(`Query: no vehicle ${v.id}`);
      const customerIds = new Set<string>();
      for (const i of items) {
        if (i.type?.S === 'VehicleLink' && i.customerId?.S) customerIds.add(i.customerId.S);
      }
      if (customerIds.size === 0) return;
      const got = await ddb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: {
              Keys: [...customerIds].map((id) => ({ pk: S(`${storeId}#CUS#${id}`), sk: S('#CUS') })),
            },
          },
        }),
      );
      if ((got.Responses?.[tableName]?.length ?? 0) === 0) {
        throw new Error(`BatchGetItem: no customers of ${v.id}`);
      }
    },
    /** What GET /vehicles?plate= reads: one Query on the plate index, then the owners' records. */
    async queryPlate(v: PickedVehicle): Promise<void> {
      const out = await ddb.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'gsi1pk' },
          ExpressionAttributeValues: { ':pk': S(`${storeId}#PLATE#${v.plate}`) },
          Limit: 25,
        }),
      );
      if (!out.Items?.some((i) => i.id?.S === v.id)) {
        throw new Error(`Query gsi1: plate of ${v.id} not found`);
      }
      // The list shows each vehicle's owner by name: the API reads the owners' records in one BatchGet.
      const owners = new Set<string>();
      for (const i of out.Items ?? []) {
        const id = i.owner?.M?.customerId?.S;
        if (id) owners.add(id);
      }
      if (owners.size === 0) return;
      await ddb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: {
              Keys: [...owners].map((id) => ({ pk: S(`${storeId}#CUS#${id}`), sk: S('#CUS') })),
            },
          },
        }),
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Part 1: API vs raw DynamoDB Local

async function measureApiVsRaw(stack: StackProcess): Promise<void> {
  const { storeId } = persona;
  const token = await signIn(stack.url);
  const vehicles = await pickVehicles(stack.url, token, storeId);
  results.load.vehicles = vehicles.length;
  say(`${vehicles.length} recently served vehicles of ${storeId} with plates, as ${persona.username}`);

  // The API's own client (packages/data/src/clients.ts: no SDK logging, middleware built once per
  // command class), pointed at the stack's DynamoDB Local: the comparison is of the same reads.
  const ddb = dynamoDbClient({
    endpoint: stack.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const raw = rawReads(ddb, stack.tableName, storeId);

    // Same data: every picked vehicle answers on every path before anything is timed.
    for (const v of vehicles) {
      const detail = await getJson<{ id: string }>(stack.url, token, byIdPath(storeId, v));
      if (detail.id !== v.id) throw new Error(`GET ${byIdPath(storeId, v)} returned ${detail.id}`);
      const found = await getJson<{ items: { id: string }[] }>(stack.url, token, byPlatePath(storeId, v));
      if (!found.items.some((i) => i.id === v.id)) {
        throw new Error(`GET ${byPlatePath(storeId, v)} misses ${v.id}`);
      }
      await raw.getItem(v);
      await raw.detailReads(v);
      await raw.queryPlate(v);
    }

    const headers = { authorization: `Bearer ${token}` };
    for (const shape of SHAPES) {
      const at = `@${shape.connections}`;
      const http = (name: string, path: (v: PickedVehicle) => string) => () =>
        httpLoad(name, { baseUrl: stack.url, paths: vehicles.map(path), headers, shape });
      const direct = (name: string, op: (v: PickedVehicle) => Promise<void>) => () =>
        directLoad(name, { count: vehicles.length, op: (i) => op(vehicles[i]!), shape });
      const scenarios: { key: string; label: string; measure: () => Promise<Measurement> }[] = [
        {
          key: 'api.vehicleById',
          label: 'API  GET /v1/stores/{storeId}/vehicles/{id}',
          measure: http('api.vehicleById', (v) => byIdPath(storeId, v)),
        },
        {
          key: 'raw.getItem',
          label: 'raw  GetItem (the vehicle item)',
          measure: direct('raw.getItem', raw.getItem),
        },
        {
          key: 'raw.detailReads',
          label: "raw  2 Query + BatchGetItem (the API's reads)",
          measure: direct('raw.detailReads', raw.detailReads),
        },
        {
          key: 'api.vehiclesByPlate',
          label: 'API  GET /v1/stores/{storeId}/vehicles?plate=',
          measure: http('api.vehiclesByPlate', (v) => byPlatePath(storeId, v)),
        },
        {
          key: 'raw.queryPlate',
          label: 'raw  Query gsi1 (plate) + BatchGetItem owners',
          measure: direct('raw.queryPlate', raw.queryPlate),
        },
      ];
      const pairs = [
        ['api.vehicleById', 'raw.detailReads'],
        ['api.vehiclesByPlate', 'raw.queryPlate'],
      ] as const;

      const measured = new Map<string, Measurement[]>();
      const ratios = new Map<string, Ratio[]>();
      for (let round = 1; round <= ROUNDS; round++) {
        const inRound = new Map<string, Measurement>();
        for (const { key, label, measure } of scenarios) {
          say(
            `round ${round}/${ROUNDS}, ${label}, ${shape.connections} conn.: ${shape.warmupSeconds} s warm-up + ${shape.seconds} s`,
          );
          const m = await measure();
          inRound.set(key, m);
          measured.set(key, [...(measured.get(key) ?? []), m]);
        }
        for (const [api, rawKey] of pairs) {
          const a = inRound.get(api)!;
          const r = inRound.get(rawKey)!;
          const key = `${api} / ${rawKey}${at}`;
          ratios.set(key, [
            ...(ratios.get(key) ?? []),
            {
              throughput: a.requestsPerSecond / r.requestsPerSecond,
              p50Latency: a.latencyMs.p50 / r.latencyMs.p50,
              p50AddedMs: a.latencyMs.p50 - r.latencyMs.p50,
            },
          ]);
        }
      }

      for (const { key, label } of scenarios) {
        const runs = measured.get(key)!;
        const byRate = [...runs].sort((x, y) => x.requestsPerSecond - y.requestsPerSecond);
        results.scenarios[`${key}${at}`] = {
          label: `${label} (${shape.connections} conn.)`,
          ...median(byRate),
          roundsRequestsPerSecond: runs.map((r) => r.requestsPerSecond),
        };
      }
      for (const [api, rawKey] of pairs) {
        const key = `${api} / ${rawKey}${at}`;
        const rounds = ratios.get(key)!;
        const med = (f: (r: Ratio) => number) => median(rounds.map(f).sort((x, y) => x - y));
        results.apiOverRaw[key] = {
          api: `${api}${at}`,
          raw: `${rawKey}${at}`,
          throughput: med((r) => r.throughput),
          p50Latency: med((r) => r.p50Latency),
          p50AddedMs: med((r) => r.p50AddedMs),
          rounds,
        };
      }
    }

    // One connection, API and raw in turns on the same vehicle (see pairedLoad): the added latency
    // without the drift between windows measured a minute apart.
    const client = keepAliveGetter(stack.url, headers);
    try {
      const shape = SHAPES[0]!;
      const paired = [
        {
          key: 'paired.vehicleById',
          api: (v: PickedVehicle) => client.get(byIdPath(storeId, v)),
          raw: raw.detailReads,
        },
        {
          key: 'paired.vehiclesByPlate',
          api: (v: PickedVehicle) => client.get(byPlatePath(storeId, v)),
          raw: raw.queryPlate,
        },
      ];
      for (let round = 1; round <= PAIRED_ROUNDS; round++) {
        for (const { key, api, raw: rawOp } of paired) {
          say(
            `round ${round}/${PAIRED_ROUNDS}, ${key} (API and raw in turns), 1 conn.: ${shape.warmupSeconds} s warm-up + ${shape.seconds} s`,
          );
          const m = await pairedLoad(key, {
            count: vehicles.length,
            api: (i) => api(vehicles[i]!),
            raw: (i) => rawOp(vehicles[i]!),
            warmupSeconds: shape.warmupSeconds,
            seconds: shape.seconds,
          });
          results.paired[key] = [...(results.paired[key] ?? []), m];
        }
      }
    } finally {
      client.close();
    }
  } finally {
    ddb.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (v: number) => v.toFixed(2);
const signedMs = (v: number) => `${v >= 0 ? '+' : ''}${ms(v)} ms`;
const times = (v: number) => `${v.toFixed(2)}×`;
const sizes = (bytes: Record<string, number>) =>
  Object.entries(bytes)
    .map(([what, n]) => `${what} ${kib(n)}`)
    .join(', ');

function table(head: string[], rows: string[][], rightAligned: number[] = []): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
    .map((l) => `  ${l}`)
    .join('\n');
}

function report(): string {
  const out: string[] = [];
  const m = results.machine;
  out.push(
    '',
    `Aftersales Cloud bench — ${results.startedAt}`,
    `  ${m.node}, ${m.platform}, ${m.cpus} × ${m.cpuModel}; load average ${m.loadAverage1mStart.toFixed(2)} → ${m.loadAverage1mEnd.toFixed(2)}`,
  );

  if (Object.keys(results.scenarios).length > 0) {
    const l = results.load;
    out.push(
      '',
      `1. API vs DynamoDB Local — ${l.vehicles} vehicles of ${l.storeId}, at ${SHAPES.map((x) => x.connections).join(' and ')} connections, ${SHAPES.map((x) => `${x.seconds} s`).join(' / ')} each after ${l.warmupSeconds} s warm-up, ${ROUNDS} rounds`,
      '',
      "  Each scenario's median round (by req/s), and every round's req/s:",
      '',
      table(
        ['scenario', 'req/s', 'rounds req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'requests'],
        Object.values(results.scenarios).map((s) => [
          s.label,
          s.requestsPerSecond.toFixed(0),
          s.roundsRequestsPerSecond.map((r) => r.toFixed(0)).join(' '),
          ms(s.latencyMs.p50),
          ms(s.latencyMs.p97_5),
          ms(s.latencyMs.p99),
          String(s.requests),
        ]),
        [1, 3, 4, 5, 6],
      ),
      '',
      '  What HTTP + auth + Hono + validation + parsing the items cost over the database (API ÷ raw),',
      "  the median of the rounds' ratios and [each round]:",
      '',
      table(
        ['API', 'raw', 'throughput', 'p50 latency', 'p50 added'],
        Object.values(results.apiOverRaw).map((r) => {
          const each = (f: (x: Ratio) => string) => `${f(r)} [${r.rounds.map(f).join(' ')}]`;
          return [
            r.api,
            r.raw,
            each((x) => times(x.throughput)),
            each((x) => times(x.p50Latency)),
            each((x) => `${x.p50AddedMs >= 0 ? '+' : ''}${ms(x.p50AddedMs)} ms`),
          ];
        }),
        [2, 3, 4],
      ),
    );
  }

  if (Object.keys(results.paired).length > 0) {
    out.push(
      '',
      '  API and raw in turns on the same vehicle, one connection (node:http keep-alive client), per round:',
      '',
      table(
        ['pair', 'pairs', 'API p50 ms', 'raw p50 ms', 'p50 added', 'median of pair differences'],
        Object.entries(results.paired).flatMap(([key, rounds]) =>
          rounds.map((m, k) => [
            `${key} #${k + 1}`,
            String(m.pairs),
            ms(m.api.p50),
            ms(m.raw.p50),
            signedMs(m.p50AddedMs),
            signedMs(m.medianPairDifferenceMs),
          ]),
        ),
        [1, 2, 3, 4, 5],
      ),
      '',
      ...Object.entries(results.paired).map(([key, rounds]) => {
        const mid = (f: (m: PairedMeasurement) => number) =>
          signedMs(median(rounds.map(f).sort((x, y) => x - y)));
        return `  ${key}: median of ${rounds.length} rounds, p50 added ${mid((m) => m.p50AddedMs)}, median of pair differences ${mid((m) => m.medianPairDifferenceMs)}`;
      }),
    );
  }

  const bundles = results.lambdaBundles;
  if (bundles) {
    out.push(
      '',
      '2. Lambda bundles — as CDK builds them (infra/lib/bundling.ts): node22 ESM, minified, linked source map, @aws-sdk/* external, unused zod modules left out',
      '',
      table(
        ['function', 'bundle', 'gzip', 'source map', 'with SDK', 'with SDK gzip'],
        Object.entries(bundles).map(([name, b]) => [
          name,
          kib(b.deployed.bytes),
          kib(b.deployed.gzipBytes),
          kib(b.deployed.mapBytes),
          kib(b.withSdk.bytes),
          kib(b.withSdk.gzipBytes),
        ]),
        [1, 2, 3, 4, 5],
      ),
      '',
      `  Cold import of the bundle with the SDK in a fresh node, taking turns with its SDK modules alone (median of ${PAIRED_IMPORT_RUNS} each, min–max; with source maps: median of 5), dummy env, no network:`,
      '',
      table(
        [
          'function',
          'import ms',
          'min–max',
          'with --enable-source-maps',
          'RSS after',
          'its SDK modules alone',
          'bundle ÷ SDK',
          'median of turns’ ÷',
        ],
        Object.entries(bundles).map(([name, b]) => [
          name,
          b.coldImport.medianMs.toFixed(0),
          `${b.coldImport.minMs.toFixed(0)}–${b.coldImport.maxMs.toFixed(0)}`,
          `${b.coldImportSourceMaps.medianMs.toFixed(0)} ms`,
          `${b.coldImport.rssMiB.toFixed(0)} MiB`,
          `${b.sdkOnlyColdImport.medianMs.toFixed(0)} ms`,
          `${b.coldImportOverSdk.toFixed(2)}×`,
          `${b.coldImportOverSdkInTurns.toFixed(2)}×`,
        ]),
        [1, 2, 3, 4, 5, 6, 7],
      ),
      '',
      ...Object.entries(bundles).map(
        ([name, b]) => `  SDK modules ${name} imports from the runtime: ${b.sdkModules.join(', ')}`,
      ),
      '',
      ...Object.entries(bundles).flatMap(([name, b]) => [
        `  Largest in the deployed ${name} bundle, by package: ${sizes(b.deployed.topPackages)}`,
        `    by folder: ${sizes(b.deployed.topFolders)}`,
      ]),
    );
  }

  if (results.stack) {
    const stop = results.stack.stop;
    out.push(
      '',
      `Stack: started and seeded in ${results.stack.startSeconds.toFixed(1)} s; ${
        stop
          ? `stopped in ${stop.seconds.toFixed(1)} s, ${
              stop.leftoverJava === 0
                ? 'its DynamoDB Local is gone'
                : `${stop.leftoverJava} DynamoDB Local process(es) outlived it (killed)`
            }${stop.otherDynamoDbLocalProcesses > 0 ? ` (${stop.otherDynamoDbLocalProcesses} other DynamoDB Local on this machine, not ours)` : ''}`
          : 'not stopped'
      }`,
    );
  }
  out.push(
    '',
    `${results.ok ? 'Done' : `FAILED: ${results.error}`} in ${results.runtimeSeconds.toFixed(0)} s; results in ${RESULTS_FILE}`,
    '',
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Main

let stack: StackProcess | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the stack…`);
    void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

try {
  say('bundling the Lambda entries and timing cold imports');
  results.lambdaBundles = await measureLambdaBundles(REPO_ROOT, BUNDLE_DIR);

  say('starting the local stack (DynamoDB Local in memory, seeded, no web, no pollers)');
  stack = await startStackProcess();
  const stackResult: NonNullable<Results['stack']> = { startSeconds: stack.startSeconds };
  results.stack = stackResult;
  try {
    await measureApiVsRaw(stack);
  } finally {
    stackResult.stop = await stack.stop();
    stack = undefined;
  }
  if (stackResult.stop.leftoverJava > 0) throw new Error('DynamoDB Local outlived the stack');
  results.ok = true;
} catch (e) {
  results.ok = false;
  results.error = e instanceof Error ? e.message : String(e);
  console.error(e);
} finally {
  results.machine.loadAverage1mEnd = loadavg()[0] ?? 0;
  results.runtimeSeconds = (performance.now() - t0) / 1000;
  // Three decimals are plenty for milliseconds, seconds, ratios and rates measured this noisily.
  const rounded = (_key: string, v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v;
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, rounded, 2)}\n`);
  console.log(report());
}
process.exitCode = results.ok ? 0 : 1;
// Nothing should be left to keep the process alive; if something is, do not hang on it.
setTimeout(() => process.exit(), 2_000).unref();
