/**
 * Typed fetch for the Aftersales API: bearer token, JSON bodies, `application/problem+json` errors
 * turned into `ApiError`, ETags for optimistic concurrency and Idempotency-Keys for creates.
 */
export interface FieldProblem {
  path: string;
  message: string;
  code?: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** Stable machine-readable code from the problem document, e.g. `VERSION_CONFLICT`. */
    readonly code: string,
    readonly detail: string,
    readonly fieldErrors: FieldProblem[] = [],
    /** Any further members of the problem document (e.g. `existingVehicleId`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  /** The field errors whose path is `path` or below it (`phones` matches `phones.0.number`). */
  fieldsAt(path: string): FieldProblem[] {
    return this.fieldErrors.filter((f) => f.path === path || f.path.startsWith(`${path}.`));
  }
}

export interface Versioned<T> {
  data: T;
  /** The representation's ETag, to send back as If-Match when changing it. */
  etag: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** ETag of the version being changed (PATCH and state-changing POST/DELETE). */
  ifMatch?: string;
  /** Makes a create safe to retry: the same key returns the first result. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

const KNOWN_PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'fieldErrors']);

async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's error page): keep the status only
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${res.status}`;
  const detail = typeof body.detail === 'string' ? body.detail : res.statusText || `HTTP ${res.status}`;
  const fieldErrors = Array.isArray(body.fieldErrors)
    ? (body.fieldErrors as unknown[]).flatMap((f): FieldProblem[] => {
        if (typeof f !== 'object' || f === null) return [];
        const { path, message, code: c } = f as Record<string, unknown>;
        if (typeof path !== 'string' || typeof message !== 'string') return [];
        return [typeof c === 'string' ? { path, message, code: c } : { path, message }];
      })
    : [];
  const extra = Object.fromEntries(Object.entries(body).filter(([k]) => !KNOWN_PROBLEM_MEMBERS.has(k)));
  return new ApiError(res.status, code, detail, fieldErrors, extra);
}

export class HttpClient {
  constructor(
    private readonly base: string,
    private readonly token: () => string | null,
    /** Called on 401: the session is over (expired or revoked). */
    private readonly onUnauthorized: () => void,
  ) {}

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Versioned<T>> {
    const url = new URL(`${this.base}${path}`, location.origin);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal ?? null,
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'NETWORK', (e as Error).message);
    }
    if (!res.ok) {
      const err = await toApiError(res);
      if (res.status === 401) this.onUnauthorized();
      throw err;
    }
    const data = (res.status === 204 ? undefined : await res.json()) as T;
    return { data, etag: res.headers.get('etag') ?? '' };
  }

  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    const opts: RequestOptions = {};
    if (query) opts.query = query;
    if (signal) opts.signal = signal;
    return (await this.request<T>('GET', path, opts)).data;
  }
}

/** A v4 UUID, also where `crypto.randomUUID` is missing (plain-http origins such as a LAN address). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
