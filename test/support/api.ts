import { totp } from '@aftersales/local';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '@aftersales/seed';
import { inject } from 'vitest';

/**
 * Talks to the real local stack started by the global setup: HTTP to the API, tokens from the
 * development identity provider (the same verification path as Cognito's tokens in AWS).
 */
export const stack = inject('stack');

/** Points this worker's AWS SDK clients at the stack's DynamoDB Local, SQS and S3 servers. */
export function useStackEnv(): void {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: stack.sqsEndpoint,
    AWS_ENDPOINT_URL_S3: stack.s3Endpoint,
    UPLOAD_BUCKET: stack.uploadBucket,
    TABLE_NAME: stack.tableName,
    ...stack.queueUrls,
  });
}

/** A new access token for `username` from the development identity provider (a sign-in). */
export async function signIn(username: string, attempt = 1): Promise<string> {
  // A kept-alive connection the server closed while the suite was busy elsewhere (a long document
  // check) fails the next POST on it; a sign-in is safe to send again.
  const res = await fetch(`${stack.url}/dev-idp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    // Every demo user with TOTP has the demo secret; the provider ignores the code of a user without.
    body: new URLSearchParams({
      grant_type: 'password',
      username,
      password: DEMO_PASSWORD,
      mfa_code: totp(DEMO_TOTP_SECRET),
    }),
  }).catch((e: unknown) => {
    if (attempt >= 2) throw e;
    return undefined;
  });
  if (!res) return signIn(username, attempt + 1);
  if (!res.ok) throw new Error(`sign-in failed for ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const tokens = new Map<string, Promise<string>>();

/** `username`'s token, signed in once per test file. */
export function tokenFor(username: string): Promise<string> {
  let t = tokens.get(username);
  if (!t) {
    t = signIn(username);
    tokens.set(username, t);
  }
  return t;
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One API call as `username` (or anonymous with `null`). */
export async function call<T = Record<string, unknown>>(
  username: string | null,
  method: string,
  path: string,
  opts: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (username) headers.authorization = `Bearer ${await tokenFor(username)}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  } else if (opts.rawBody !== undefined) body = opts.rawBody;
  const res = await fetch(`${stack.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // non-JSON bodies stay text
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/**
 * Waits for a condition with a deadline (queue jobs finish asynchronously). The deadline is for a
 * pipeline on a loaded 2-core CI machine (stream poller → router → queue → consumer, with the whole
 * suite running beside it): a condition that holds returns at once, so it costs nothing when green.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface ImportUpload {
  uploadId: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * Asks `username`'s store for an upload URL for a file of `size` bytes, from an import kind's routes
 * (`imports` for customers and vehicles, `setup/labour-op-imports` for the catalogue).
 */
export async function requestUpload(
  username: string,
  storeId: string,
  size: number,
  imports = 'imports',
  contentType?: string,
): Promise<ApiResponse<ImportUpload>> {
  return call<ImportUpload>(username, 'POST', `/v1/stores/${storeId}/${imports}/uploads`, {
    body: { size, contentType },
  });
}

/** Sends a file to a presigned upload as a browser would: the method and headers the API said. */
export function putUpload(upload: ImportUpload, bytes: BodyInit): Promise<Response> {
  return fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes });
}

/**
 * The whole client side of an upload: URL, bytes to S3, the upload id to start an import with. A
 * string is sent as UTF-8 CSV; bytes as `contentType` (an .xlsx workbook's, say).
 */
export async function uploadCsv(
  username: string,
  storeId: string,
  file: string | Uint8Array,
  imports = 'imports',
  contentType?: string,
): Promise<string> {
  const bytes = typeof file === 'string' ? new TextEncoder().encode(file) : new Uint8Array(file);
  const upload = await requestUpload(username, storeId, bytes.byteLength, imports, contentType);
  if (upload.status !== 200) throw new Error(`upload URL refused: ${upload.status} ${upload.text}`);
  const put = await putUpload(upload.body, bytes);
  if (!put.ok) throw new Error(`upload refused by S3: ${put.status} ${await put.text()}`);
  return upload.body.uploadId;
}
