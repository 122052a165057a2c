import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@aftersales/domain/webhooks';

/**
 * 推送 locally: a small stand-in for an OEM's system. It takes every POST, checks its Standard Webhooks
 * signature against the secrets it was given (the demo secret), answers 204 when one verifies and 401
 * when none does, and shows the last deliveries at `/` (HTML) and `/deliveries.json`.
 */
export interface ReceivedWebhook {
  receivedAt: string;
  path: string;
  webhookId: string | undefined;
  timestamp: string | undefined;
  type: string | undefined;
  signatures: number;
  verified: boolean;
  reason?: string;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: () => readonly ReceivedWebhook[];
  stop: () => Promise<void>;
}

const KEPT = 100;

export async function startWebhookReceiver(opts: {
  port: number;
  secrets: readonly string[];
}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (req.method === 'GET' && path === '/deliveries.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
        return;
      }
      if (req.method === 'GET' && path === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(received));
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'GET, POST' }).end();
        return;
      }
      const body = await readBody(req);
      const headers = {
        'webhook-id': header(req, 'webhook-id'),
        'webhook-timestamp': header(req, 'webhook-timestamp'),
        'webhook-signature': header(req, 'webhook-signature'),
      };
      const results = opts.secrets.map((s) => verifyWebhook(headers, body, s, new Date()));
      const verified = results.some((r) => r.ok);
      const failed = results.find((r) => !r.ok);
      received.unshift({
        receivedAt: new Date().toISOString(),
        path,
        webhookId: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        type: typeOf(body),
        signatures: headers['webhook-signature']?.split(' ').length ?? 0,
        verified,
        ...(!verified && failed && !failed.ok ? { reason: failed.reason } : {}),
        body,
      });
      received.length = Math.min(received.length, KEPT);
      res.writeHead(verified ? 204 : 401).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function typeOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed && 'type' in parsed ? String(parsed.type) : undefined;
  } catch {
    return undefined;
  }
}

const html = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(received: readonly ReceivedWebhook[]): string {
  const rows = received
    .map(
      (r) =>
        `<tr><td>${html(r.receivedAt)}</td><td>${html(r.path)}</td><td>${html(r.type ?? '')}</td><td><code>${html(r.webhookId ?? '')}</code></td><td>${r.signatures}</td><td>${r.verified ? '✓ verified' : `✗ ${html(r.reason ?? '')}`}</td><td><code>${html(r.body.slice(0, 300))}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Webhook receiver</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}code{font-size:.85em}</style></head>
<body><h1>Webhook receiver (local)</h1><p>The last ${KEPT} deliveries, newest first; signatures checked with the demo secret. As JSON: <a href="/deliveries.json">/deliveries.json</a>.</p>
<table><thead><tr><th>Received</th><th>Path</th><th>Type</th><th>webhook-id</th><th>Signatures</th><th>Check</th><th>Body</th></tr></thead><tbody>
${rows || '<tr><td colspan="7">Nothing yet.</td></tr>'}
</tbody></table></body></html>`;
}
