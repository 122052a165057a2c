/**
 * The small part of autocannon's programmatic API the bench uses (autocannon ships no types and
 * `@types/autocannon` is not a dependency). Times are milliseconds unless a field says otherwise.
 */
declare module 'autocannon' {
  function autocannon(opts: autocannon.Options): autocannon.Instance;

  namespace autocannon {
    interface Request {
      method?: string;
      path: string;
      headers?: Record<string, string>;
      body?: string;
    }

    interface Options {
      url: string;
      title?: string;
      connections?: number;
      pipelining?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds per request before it counts as a timeout. */
      timeout?: number;
      /** Stop after this many errors. */
      bailout?: number;
      headers?: Record<string, string>;
      /** Each connection cycles through these in order. */
      requests?: Request[];
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p97_5: number;
      p99: number;
    }

    interface Result {
      title?: string;
      /** Seconds. */
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      statusCodeStats: Record<string, { count: number }>;
      /** Whole milliseconds (autocannon's histogram truncates). */
      latency: Histogram;
      /** Per-second samples; `total` is every completed request. */
      requests: Histogram & { total: number; sent: number };
    }

    interface Instance extends PromiseLike<Result> {
      on(
        event: 'response',
        listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void,
      ): this;
      stop(): void;
    }
  }

  export = autocannon;
}
