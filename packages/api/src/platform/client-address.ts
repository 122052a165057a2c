import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';

/** What the runtimes put in Hono's `env`: API Gateway's event (Lambda), or Node's request (local server). */
interface ConnectionEnv {
  requestContext?: { http?: { sourceIp?: unknown } };
  incoming?: { socket?: { remoteAddress?: unknown } };
}

/**
 * The header CloudFront adds to every request it forwards to the API (the origin's custom header), with
 * the deployment's origin secret (`ORIGIN_SECRET`): proof that a request came through the edge.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * The client's address, as the platform trusts it: CloudFront's `CloudFront-Viewer-Address` (set by the
 * edge, replacing the one a viewer sends; forwarded by the API behaviour's origin request policy) when the
 * request carries the origin secret CloudFront adds, else the connection's own — API Gateway's
 * `sourceIp` in Lambda, the socket's peer on the local server. Without the secret check, a client calling
 * the execute-api endpoint directly would name its own address with that header and never meet the
 * public routes' per-client limit. The `X-Forwarded-For` chain is never read: its first entries are
 * whatever the client wrote.
 */
export function clientAddress(c: Context, originSecret: string | undefined): string {
  const viewer = fromEdge(c, originSecret) ? c.req.header('cloudfront-viewer-address') : undefined;
  // `203.0.113.7:46532` or `2001:db8::7:46532`: the address, then the port after the last colon.
  if (viewer) return viewer.slice(0, Math.max(0, viewer.lastIndexOf(':'))) || viewer;
  const env = (c.env ?? {}) as ConnectionEnv;
  const source = env.requestContext?.http?.sourceIp ?? env.incoming?.socket?.remoteAddress;
  return typeof source === 'string' && source ? source : 'unknown';
}

/** The request carries the origin secret (compared in constant time); never without a secret set. */
function fromEdge(c: Context, originSecret: string | undefined): boolean {
  const sent = c.req.header(ORIGIN_VERIFY_HEADER);
  if (!originSecret || sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(originSecret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The address as a counter's subject: hashed, so no IP address is stored in the table. */
export function clientKey(address: string): string {
  return createHash('sha256').update(address).digest('base64url').slice(0, 22);
}
