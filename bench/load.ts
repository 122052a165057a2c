import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

/** One load level for every scenario, API and raw alike. */
export interface LoadShape {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface LatencyStats {
  p50: number;
  p97_5: number;
  p99: number;
  mean: number;
  max: number;
}

export interface Measurement {
  name: string;
  /** Completed requests in the measured window (warm-up excluded). */
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Milliseconds, from every completed request (not autocannon's whole-millisecond histogram). */
  latencyMs: LatencyStats;
}

/** Stop a scenario that is clearly broken instead of hammering it for the whole window. */
const MAX_ERRORS = 100;
/** A bound on the latency samples kept per scenario (far above what 10 s can produce here). */
const MAX_SAMPLES = 2_000_000;

/** The middle element of a sorted, non-empty list (the upper middle for an even length). */
export function median<T>(sorted: readonly T[]): T {
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Nearest-rank percentiles over the recorded samples, the same function for API and raw. */
export function latencyStats(samples: number[]): LatencyStats {
  if (samples.length === 0) return { p50: 0, p97_5: 0, p99: 0, mean: 0, max: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: at(50),
    p97_5: at(97.5),
    p99: at(99),
    mean: sum / sorted.length,
    max: sorted[sorted.length - 1]!,
  };
}

/**
 * HTTP load with autocannon: every connection cycles through `paths` in order (one request in flight
 * per connection), first for the warm-up, then for the measured window. Any error, timeout or
 * non-2xx answer fails the scenario.
 */
export async function httpLoad(
  name: string,
  opts: { baseUrl: string; paths: string[]; headers: Record<string, string>; shape: LoadShape },
): Promise<Measurement> {
  const run = (seconds: number, onLatency?: (ms: number) => void) => {
    const instance = autocannon({
      url: opts.baseUrl,
      title: name,
      connections: opts.shape.connections,
      pipelining: 1,
      duration: seconds,
      timeout: 10,
      bailout: MAX_ERRORS,
      headers: opts.headers,
      requests: opts.paths.map((path) => ({ method: 'GET', path })),
    });
    if (onLatency) instance.on('response', (_client, _status, _bytes, ms) => onLatency(ms));
    return instance;
  };

  const warm = await run(opts.shape.warmupSeconds);
  if (warm.errors > 0 || warm.non2xx > 0) {
    throw new Error(`${name}: warm-up failed (${describeFailures(warm)})`);
  }

  const samples: number[] = [];
  const result = await run(opts.shape.seconds, (ms) => {
    if (samples.length < MAX_SAMPLES) samples.push(ms);
  });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${name}: ${describeFailures(result)}`);
  return {
    name,
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    latencyMs: latencyStats(samples),
  };
}

function describeFailures(r: autocannon.Result): string {
  const codes = Object.entries(r.statusCodeStats)
    .map(([code, { count }]) => `${code}×${count}`)
    .join(', ');
  return `${r.errors} errors, ${r.timeouts} timeouts, status codes ${codes || 'none'}`;
}

/**
 * The same load shape without HTTP in front: `connections` loops, each with one operation in flight,
 * cycling through the items in order, for the warm-up and then the measured window. Any failed
 * operation fails the scenario.
 */
export async function directLoad(
  name: string,
  opts: { count: number; op: (index: number) => Promise<void>; shape: LoadShape },
): Promise<Measurement> {
  const window = async (seconds: number, samples: number[] | undefined) => {
    const deadline = performance.now() + seconds * 1000;
    let completed = 0;
    let errors = 0;
    let firstError: unknown;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: opts.shape.connections }, async () => {
        for (let i = 0; performance.now() < deadline && errors < MAX_ERRORS; i = (i + 1) % opts.count) {
          const t0 = performance.now();
          try {
            await opts.op(i);
          } catch (e) {
            errors++;
            firstError ??= e;
            continue;
          }
          completed++;
          if (samples && samples.length < MAX_SAMPLES) samples.push(performance.now() - t0);
        }
      }),
    );
    return { completed, errors, firstError, seconds: (performance.now() - started) / 1000 };
  };

  const warm = await window(opts.shape.warmupSeconds, undefined);
  if (warm.errors > 0) throw new Error(`${name}: warm-up failed: ${String(warm.firstError)}`);
  const samples: number[] = [];
  const w = await window(opts.shape.seconds, samples);
  if (w.errors > 0) throw new Error(`${name}: ${w.errors} errors, first: ${String(w.firstError)}`);
  return {
    name,
    requests: w.completed,
    seconds: w.seconds,
    requestsPerSecond: w.completed / w.seconds,
    latencyMs: latencyStats(samples),
  };
}

export interface PairedMeasurement {
  name: string;
  /** Completed pairs in the measured window (warm-up excluded). */
  pairs: number;
  seconds: number;
  api: LatencyStats;
  raw: LatencyStats;
  /** API p50 − raw p50 over the same pairs (ms). */
  p50AddedMs: number;
  /** The median of each pair's API − raw difference (ms). */
  medianPairDifferenceMs: number;
}

/**
 * One connection, API and raw in turns: each step reads one item through the API and then the same
 * item's reads straight from the database (the other way round every second step), so both meet the
 * database in the same state. Windows measured one after the other, as the other scenarios are, can
 * differ by milliseconds on a shared machine (DynamoDB Local's JIT and garbage collector, the other
 * processes); within a pair they cannot drift apart. Any failed operation fails the scenario.
 */
export async function pairedLoad(
  name: string,
  opts: {
    count: number;
    api: (index: number) => Promise<void>;
    raw: (index: number) => Promise<void>;
    warmupSeconds: number;
    seconds: number;
  },
): Promise<PairedMeasurement> {
  const timed = async (op: (index: number) => Promise<void>, index: number) => {
    const t0 = performance.now();
    await op(index);
    return performance.now() - t0;
  };
  const window = async (seconds: number, record: boolean) => {
    const api: number[] = [];
    const raw: number[] = [];
    const started = performance.now();
    const deadline = started + seconds * 1000;
    for (let step = 0; performance.now() < deadline && api.length < MAX_SAMPLES; step++) {
      const i = step % opts.count;
      let a: number;
      let r: number;
      if (step % 2 === 0) {
        a = await timed(opts.api, i);
        r = await timed(opts.raw, i);
      } else {
        r = await timed(opts.raw, i);
        a = await timed(opts.api, i);
      }
      if (record) {
        api.push(a);
        raw.push(r);
      }
    }
    return { api, raw, seconds: (performance.now() - started) / 1000 };
  };
  await window(opts.warmupSeconds, false);
  const w = await window(opts.seconds, true);
  const api = latencyStats(w.api);
  const raw = latencyStats(w.raw);
  return {
    name,
    pairs: w.api.length,
    seconds: w.seconds,
    api,
    raw,
    p50AddedMs: api.p50 - raw.p50,
    medianPairDifferenceMs: latencyStats(w.api.map((a, k) => a - w.raw[k]!)).p50,
  };
}

/**
 * GET `path` on `baseUrl` over one kept-alive connection, reading the whole answer; anything but 200
 * throws. `node:http` rather than fetch: the client's own cost stays close to autocannon's.
 */
export function keepAliveGetter(baseUrl: string, headers: Record<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(new URL(path, baseUrl), { agent, headers }, (res) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`GET ${path}: ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}
