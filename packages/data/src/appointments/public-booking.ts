import { createHash, randomBytes } from 'node:crypto';
import {
  AppError,
  type Appointment,
  type BookingChallenge,
  ConflictError,
  leadingZeroBits,
  type Proof,
  type PublicBookingRequest,
} from '@aftersales/domain';
import * as z from 'zod';
import type { TenantData } from '../index.ts';
import { CursorSeal } from '../platform/cursor.ts';
import type { IdempotencyRequest } from '../platform/idempotency.ts';
import { registerKeyPrefix } from '../platform/keys.ts';
import type { TxOp } from '../platform/tenant-table.ts';
import { type BookingContext, book } from './booking.ts';

/**
 * The public page's bot resistance (人机验证): a proof of work the browser computes. A challenge is
 * sealed (AES-256-GCM, the cursors' seal with its own derived key, so it needs no storage and cannot be
 * forged or moved to another store), expires, and is used once: the booking's transaction puts a guard
 * item keyed by the challenge's id on condition that none exists (TTL removes it after expiry).
 *
 * - proof guard   pk `<t>#APPTPROOF#<challengeId>` sk `#APPTPROOF`, `expiresAt` for TTL
 */
const PROOF_PREFIX = 'APPTPROOF';
registerKeyPrefix(PROOF_PREFIX, 'appointment.proof');

/** What a challenge holds, sealed: its id, store, expiry (ms) and difficulty. */
const Sealed = z.object({ id: z.string(), storeId: z.string(), exp: z.number(), bits: z.int() });

export interface ChallengeOptions {
  /** Leading zero bits asked for: 14 is about 16,000 hashes, a few hundred ms on a phone. */
  difficulty: number;
  /** How long a challenge may be used. */
  ttlMs: number;
}

export const DEFAULT_CHALLENGE: ChallengeOptions = { difficulty: 14, ttlMs: 10 * 60_000 };

export class BookingChallenges {
  private readonly seal: CursorSeal;

  /** `secret`: `CURSOR_SECRET` (every instance must open what another issued); absent, this process's key. */
  constructor(
    secret: string | undefined,
    private readonly options: ChallengeOptions = DEFAULT_CHALLENGE,
  ) {
    this.seal = new CursorSeal(secret, 'booking-challenge-v1');
  }

  issue(storeId: string, now: Date): BookingChallenge {
    const exp = now.getTime() + this.options.ttlMs;
    const value = { id: randomBytes(12).toString('base64url'), storeId, exp, bits: this.options.difficulty };
    return {
      challenge: this.seal.seal(value, binding(storeId)),
      difficulty: value.bits,
      algorithm: 'SHA-256',
      expiresAt: new Date(exp).toISOString(),
    };
  }

  /**
   * The proof checked: a challenge this store issued, not expired, whose hash with the nonce has the
   * leading zero bits asked for. Answers what the single-use guard needs (`proofGuard`).
   */
  verify(storeId: string, proof: Proof, now: Date): VerifiedProof {
    const parsed = Sealed.safeParse(this.seal.open(proof.challenge, binding(storeId)));
    if (!parsed.success || parsed.data.storeId !== storeId)
      throw new AppError(400, 'PROOF_INVALID', 'The proof is not for a challenge this page issued.');
    const { id, exp, bits } = parsed.data;
    if (exp <= now.getTime())
      throw new AppError(400, 'PROOF_EXPIRED', 'The challenge has expired: ask for a new one.');
    const digest = createHash('sha256')
      .update(proof.challenge + proof.nonce, 'utf8')
      .digest();
    if (leadingZeroBits(digest) < bits)
      throw new AppError(400, 'PROOF_INVALID', 'The nonce does not solve the challenge.');
    return { id, exp };
  }
}

export interface VerifiedProof {
  id: string;
  /** Expiry, ms. */
  exp: number;
}

/** The put that uses a challenge up: refused (409 `PROOF_ALREADY_USED`) when its guard exists. */
function proofGuard(tenant: TenantData, proof: VerifiedProof): TxOp {
  return {
    put: {
      pk: tenant.table.key(PROOF_PREFIX, proof.id),
      sk: `#${PROOF_PREFIX}`,
      type: 'BookingProof',
      expiresAt: Math.ceil(proof.exp / 1000),
    },
    condition: 'attribute_not_exists(pk)',
    onConditionFailed: () =>
      new ConflictError(409, 'PROOF_ALREADY_USED', 'This challenge was already used: ask for a new one.'),
  };
}

const binding = (storeId: string) => `booking-challenge|${storeId}`;

/**
 * A customer's request from the public page: a `requested`, `online` booking of one general hour for
 * their own words and contact, through the one booking path. No customer or vehicle is looked up: the
 * store links them when it confirms, so nothing here can tell whether the phone or plate is known.
 */
export function requestBooking(
  tenant: TenantData,
  context: BookingContext,
  request: Omit<PublicBookingRequest, 'proof'>,
  opts: { proof: VerifiedProof; idempotency?: IdempotencyRequest | undefined },
): Promise<{ appointment: Appointment; created: boolean }> {
  const { date, time, concern, ...contact } = request;
  return book(
    tenant,
    context,
    {
      status: 'requested',
      channel: 'online',
      contact,
      date,
      time,
      concern,
      lines: [],
      parts: [],
    },
    { idempotency: opts.idempotency, extra: [proofGuard(tenant, opts.proof)] },
  );
}
