import { type LocalStack, startLocalStack } from '@aftersales/local';
import type { StackControlMessage, StackStatusMessage } from './stack-process.ts';

/**
 * The local stack in its own process, forked by bench/run.ts, so that the API serves from an event loop
 * of its own (as it does in Lambda) instead of sharing one with the load generator. It stops — Java
 * included — when told to, when the parent goes away, or on SIGINT/SIGTERM.
 */
const send = (msg: StackStatusMessage) => process.send?.(msg);
if (!process.send) {
  throw new Error('bench/stack-server.ts is started by bench/run.ts (it needs an IPC channel)');
}

// The bench drives one demo user as fast as the stack answers: limits far above that, so it measures
// the API and not 429s (each lease then covers a tenth of the limit: almost no counter writes).
process.env.RATE_LIMIT_USER_RPS ??= '100000';
process.env.RATE_LIMIT_TENANT_RPS ??= '100000';

const started = performance.now();
const starting: Promise<LocalStack> = startLocalStack({
  port: 0,
  seed: {},
  webDir: false,
  pollers: false,
  log: (msg) => process.stderr.write(`  stack: ${msg}\n`),
});

let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  // A stack still starting is stopped once it is up (or has already cleaned up after a failure).
  starting
    .then((stack) => stack.stop())
    .catch(() => undefined)
    .finally(() => process.exit(code));
}

process.on('message', (msg: unknown) => {
  if ((msg as StackControlMessage | undefined)?.type === 'stop') shutdown(0);
});
process.on('disconnect', () => shutdown(0));
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));

try {
  const stack = await starting;
  send({
    type: 'ready',
    url: stack.url,
    tableName: stack.tableName,
    dynamoEndpoint: stack.dynamoEndpoint,
    startSeconds: (performance.now() - started) / 1000,
  });
} catch (e) {
  send({ type: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  shutdown(1);
}
