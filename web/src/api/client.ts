/**
 * The Aftersales API as the web app calls it: the generated client (`@aftersales/api-client`), with
 * `application/problem+json` errors turned into `ApiError`, ETags for optimistic concurrency and
 * Idempotency-Keys for creates.
 */
import { type ApiClient, createApiClient } from '@aftersales/api-client';

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

const KNOWN_PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'fieldErrors']);

/** `body` is what openapi-fetch parsed of the error response: a problem document, or text (a proxy's error page). */
function toApiError(res: Response, parsed: unknown): ApiError {
  const body: Record<string, unknown> = typeof parsed === 'object' && parsed !== null ? { ...parsed } : {};
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

/** What an openapi-fetch call resolves to: `data` on success, the parsed `error` body otherwise. */
export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The web app's connection to the API: a client generated from /openapi.json (typed paths, params and
 * bodies), the session's bearer token, and a sign-out when the API answers 401.
 */
export class HttpClient {
  readonly api: ApiClient;

  constructor(
    base: string,
    token: () => string | null,
    /** Called on 401: the session is over (expired or revoked). */
    private readonly onUnauthorized: () => void,
  ) {
    // Relative to the page, as the app may be served with the API under the same origin (`apiBase: ''`).
    this.api = createApiClient({ baseUrl: new URL(base || '/', location.origin).href, accessToken: token });
  }

  /**
   * The outcome of a call with the representation's ETag, for If-Match when changing it; a failure
   * becomes an `ApiError` (status 0 when the server could not be reached), and an abort stays one.
   */
  async versioned<T>(call: Promise<FetchResult<T>>): Promise<Versioned<T>> {
    let res: FetchResult<T>;
    try {
      res = await call;
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'NETWORK', (e as Error).message);
    }
    if (!res.response.ok) {
      if (res.response.status === 401) this.onUnauthorized();
      throw toApiError(res.response, res.error);
    }
    return { data: res.data as T, etag: res.response.headers.get('etag') ?? '' };
  }

  /** The outcome of a call, where its version does not matter. */
  async data<T>(call: Promise<FetchResult<T>>): Promise<T> {
    return (await this.versioned(call)).data;
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
