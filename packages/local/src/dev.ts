import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEMO_PASSWORD,
  DEMO_STORES,
  DEMO_TOTP_SECRET,
  DEMO_USERS,
  DEMO_WEBHOOK_SECRET,
} from '@aftersales/seed';
import { startLocalStack } from './stack.ts';

/**
 * `pnpm dev`: the whole product on localhost. Ctrl-C stops everything it started, Java included.
 *   --in-memory        throwaway database (default: persisted under .data/)
 *   --port <n>         HTTP port (default 3000)
 *   --small            a small demo dataset (a few customers per store), for quick checks
 */
const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    'data-dir': { type: 'string', default: resolve(process.cwd(), '.data/dynamodb') },
    small: { type: 'boolean', default: false },
  },
});

const say = (msg: string) => console.log(`· ${msg}`);
const stack = await startLocalStack({
  port: Number(values.port),
  dataDir: values['in-memory'] ? undefined : values['data-dir'],
  log: say,
  seed: values.small ? { customersPerStore: 3 } : {},
});

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(
    `\n${signal}: stopping DynamoDB Local, the SQS and S3 servers, the webhook receiver and the API…`,
  );
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
console.log(`
Aftersales Cloud is running.

  Web app      ${stack.url}
  API          ${stack.url}/v1   (OpenAPI: ${stack.url}/openapi.json, reference: ${stack.url}/docs/)
  Booking      ${DEMO_STORES.map((s) => `${stack.url}/booking.html#store=${s.id}  (${s.name})`).join('\n               ')}
  Data         ${values['in-memory'] ? 'in memory' : join(values['data-dir'])}
  Webhooks     ${stack.webhookReceiver ? `${stack.webhookReceiver.url}  (the demo OEMs' endpoint: deliveries, signatures checked with ${DEMO_WEBHOOK_SECRET})` : 'no receiver'}

Demo sign-ins (password: ${DEMO_PASSWORD}; ★ = two-step sign-in with the demo TOTP secret)
${DEMO_USERS.map((u) => `  ${u.mfaEnrolled ? '★' : ' '} ${u.username.padEnd(width)}  ${u.displayName}  —  ${u.memberships.map((m) => `${m.roles.join('+')} @ ${m.tenantName}`).join('; ')}`).join('\n')}

Demo TOTP secret: ${DEMO_TOTP_SECRET}  (add it to an authenticator app, or print the current code: npm run totp)

A token from the command line (★ users add -d mfa_code=$(npm run -s totp | cut -d' ' -f1)):
  curl -s -X POST ${stack.url}/dev-idp/token -d grant_type=password -d username=${DEMO_USERS[0]?.username} -d password=${DEMO_PASSWORD}

Press Ctrl-C to stop.`);
