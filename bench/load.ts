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
