import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/** What the runtimes put in Hono's `env`: API Gateway's event (Lambda), or Node's request (local server). */
interface ConnectionEnv {
  requestContext?: { http?: { sourceIp?: unknown } };
  incoming?: { socket?: { remoteAddress?: unknown } };
}

/**
 * The client's address, as the platform trusts it: CloudFront's `CloudFront-Viewer-Address` (set by the
 * edge, replacing any a viewer sends; forwarded by the API behaviour's origin request policy), else the
 * connection's own — API Gateway's `sourceIp` in Lambda, the socket's peer on the local server. The
 * `X-Forwarded-For` chain is never read: its first entries are whatever the client wrote.
 */
export function clientAddress(c: Context): string {
  const viewer = c.req.header('cloudfront-viewer-address');
  // `203.0.113.7:46532` or `2001:db8::7:46532`: the address, then the port after the last colon.
  if (viewer) return viewer.slice(0, Math.max(0, viewer.lastIndexOf(':'))) || viewer;
  const env = (c.env ?? {}) as ConnectionEnv;
  const source = env.requestContext?.http?.sourceIp ?? env.incoming?.socket?.remoteAddress;
  return typeof source === 'string' && source ? source : 'unknown';
}

/** The address as a counter's subject: hashed, so no IP address is stored in the table. */
export function clientKey(address: string): string {
  return createHash('sha256').update(address).digest('base64url').slice(0, 22);
}
