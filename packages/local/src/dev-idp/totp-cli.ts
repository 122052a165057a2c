import { DEMO_TOTP_SECRET } from '@aftersales/seed';
import { TOTP_STEP_SECONDS, totp } from './totp.ts';

/**
 * `npm run totp`: the current code of the demo TOTP secret, which every demo manager and HQ user has
 * (local development only), and how long it stays valid.
 */
const now = Date.now();
const left = TOTP_STEP_SECONDS - (Math.floor(now / 1000) % TOTP_STEP_SECONDS);
console.log(`${totp(DEMO_TOTP_SECRET, now)}  (valid ${left} s more; demo secret ${DEMO_TOTP_SECRET})`);
