import { createHash } from 'node:crypto';
import { AppError } from '@aftersales/domain';
import { KEY_PREFIXES } from './keys.ts';
import type { Item, TenantTable, TxOp } from './tenant-table.ts';

/** How long a retried create returns the first answer instead of creating again. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface IdempotencyRequest {
  key: string;
  /** Hash of what was asked, so a reused key with a different request is refused, not replayed. */
  fingerprint: string;
}

export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

/** Thrown by a transaction whose idempotency record already exists: the caller replays the result. */
export class IdempotentReplay extends Error {
  constructor(readonly resultId: string) {
    super('idempotent replay');
  }
}

/**
 * A create's idempotency record, written in the same transaction as the record it created: either
 * both exist or neither does. The stored result is the created record's id, re-read on replay.
 */
export function idempotencyOp(
  table: TenantTable,
  req: IdempotencyRequest,
  scope: string,
  resultId: string,
  now: Date,
): TxOp {
  const item: Item = {
    pk: table.key(KEY_PREFIXES.idempotency, scope, req.key),
    sk: '#IDEMP',
    type: 'Idempotency',
    fingerprint: req.fingerprint,
    resultId,
    expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
  return {
    put: item,
    decisive: true,
    // TTL deletes lazily (up to 48 h late): an expired record counts as absent.
    condition: 'attribute_not_exists(pk) OR expiresAt < :now',
    values: { ':now': Math.floor(now.getTime() / 1000) },
    onConditionFailed: (current) => {
      if (current?.fingerprint !== req.fingerprint) {
        return new AppError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used for a different request; use a new key.',
        );
      }
      return new IdempotentReplay(String(current.resultId));
    },
  };
}

/**
 * The id a create with this key already made, if any (a reused key with another request: 422). For a
 * create with effects outside the table (an identity provider's account), which must not run twice:
 * asked before them, while the idempotency record itself is still written with the record.
 */
export async function idempotentResult(
  table: TenantTable,
  req: IdempotencyRequest,
  scope: string,
  now: Date,
): Promise<string | undefined> {
  const item = await table.get({ pk: table.key(KEY_PREFIXES.idempotency, scope, req.key), sk: '#IDEMP' });
  if (!item || Number(item.expiresAt) < Math.floor(now.getTime() / 1000)) return undefined;
  if (item.fingerprint !== req.fingerprint)
    throw new AppError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request; use a new key.',
    );
  return String(item.resultId);
}
