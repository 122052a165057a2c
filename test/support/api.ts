import { inject } from 'vitest';

/**
 * Talks to the real local stack started by the global setup: HTTP to the API, tokens from the
 * development identity provider (the same verification path as Cognito's tokens in AWS).
 */
export const stack = inject('stack');

/** Points this worker's AWS SDK clients at the stack's DynamoDB Local and SQS server. */
export function useStackEnv(): void {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: stack.sqsEndpoint,
    TABLE_NAME: stack.tableName,
    ...stack.queueUrls,
  });
}

const tokens = new Map<string, Promise<string>>();

export function tokenFor(username: string): Promise<string> {
  let t = tokens.get(username);
  if (!t) {
    t = (async () => {
      const res = await fetch(`${stack.url}/dev-idp/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username, password: 'demo1234' }),
      });
      if (!res.ok) throw new Error(`sign-in failed for ${username}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    })();
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

/** Waits for a condition with a deadline (queue jobs finish asynchronously). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
