import * as z from 'zod';
import { Instant, RequiredText, Version } from '../platform/fields.ts';
import { OemClaimAction, WarrantyClaim, WarrantyClaimStatus } from './model.ts';
import type { OemClaimRules } from './oem-rules.ts';
import { decideOemAction } from './rules.ts';

/**
 * The OEM's side of a claim (厂家索赔): the copy the OEM projection keeps in the OEM's own partition, and
 * the OEM's actions on it. A store's data reaches an OEM only this way (the projector's credentials reach
 * `oem_*#*` keys); the OEM's actions reach the store's claim only through the decisions consumer.
 */

/** One thing the OEM did (decide, ask, pay, ask a part back…), as the OEM API recorded it. */
export const OemActionRecord = z.object({
  id: RequiredText,
  action: OemClaimAction,
  at: Instant,
  /** The OEM's reviewer or client, as the OEM's directory names it. */
  by: z.string(),
});
export type OemActionRecord = z.infer<typeof OemActionRecord>;

/**
 * The OEM's copy of a filed claim: the store's claim as last projected, with the OEM's actions that the
 * store's claim does not reflect yet laid over it, so the OEM sees its decision at once and an older
 * store change arriving later never undoes it.
 */
export const OemClaimCopy = z.object({
  /** The claim's id (globally unique). */
  id: RequiredText,
  storeId: RequiredText,
  storeName: z.string(),
  status: WarrantyClaimStatus,
  /** The claim as the OEM sees it: the store's, with the pending actions laid over it. */
  claim: WarrantyClaim,
  /** The store's claim as last projected. */
  storeClaim: WarrantyClaim,
  /** The store claim's version this copy was projected from. */
  storeVersion: Version,
  /** OEM actions recorded here and not yet applied to the store's claim (oldest first). */
  pendingActions: z.array(OemActionRecord),
  receivedAt: Instant,
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type OemClaimCopy = z.infer<typeof OemClaimCopy>;

/** The claim as the OEM API answers it: the claim, where it came from, and actions still on their way. */
export const OemClaim = WarrantyClaim.omit({ createdBy: true }).extend({
  storeName: z.string(),
  receivedAt: Instant,
  /** The claim's version as the OEM sees it: the ETag of `GET`, for the OEM's own caches. */
  oemVersion: Version,
  /** Actions accepted by this API that the store's claim has not recorded yet (usually none). */
  pendingActionIds: z.array(RequiredText),
  /**
   * The sealed photos (`photoIds`) as short-lived links, on a single claim's read (not in lists): GET
   * each before `expiresAt`; read the claim again for fresh ones.
   */
  photoLinks: z.array(z.object({ photoId: RequiredText, url: z.url(), expiresAt: Instant })).optional(),
});
export type OemClaim = z.infer<typeof OemClaim>;

export function oemClaimOf(copy: OemClaimCopy): OemClaim {
  const { createdBy: _, ...claim } = copy.claim;
  return {
    ...claim,
    status: copy.status,
    storeName: copy.storeName,
    receivedAt: copy.receivedAt,
    oemVersion: copy.version,
    pendingActionIds: copy.pendingActions.map((a) => a.id),
  };
}

/** The pending actions laid over a claim, each one that still applies (one the store refused drops out). */
function withPending(
  claim: WarrantyClaim,
  pending: readonly OemActionRecord[],
  rules: OemClaimRules,
): { claim: WarrantyClaim; pending: OemActionRecord[] } {
  let view = claim;
  const kept: OemActionRecord[] = [];
  for (const a of pending) {
    try {
      view = decideOemAction(view, a.action, { rules, at: a.at, by: a.by }).next;
      kept.push(a);
    } catch {
      // The store's claim moved on in a way that no longer admits it: the decisions consumer records
      // the refusal; the copy shows the store's state.
    }
  }
  return { claim: view, pending: kept };
}

/**
 * The OEM's copy after the store's claim changed: `undefined` when there is nothing to write (a snapshot
 * older than the copy's, or a claim the OEM never received). The actions the snapshot has applied leave
 * the pending list; the others are laid over it again.
 */
export function projectClaim(
  copy: OemClaimCopy | undefined,
  snapshot: WarrantyClaim,
  ctx: { storeName: string; rules: OemClaimRules; at: string },
): OemClaimCopy | undefined {
  // A draft withdrawn before it was ever sent never reached the OEM.
  if (snapshot.submissions === 0) return undefined;
  if (copy && copy.storeVersion >= snapshot.version) return undefined;
  const applied = new Set(snapshot.appliedOemActions ?? []);
  const { claim, pending } = withPending(
    snapshot,
    (copy?.pendingActions ?? []).filter((a) => !applied.has(a.id)),
    ctx.rules,
  );
  return {
    id: snapshot.id,
    storeId: snapshot.storeId,
    storeName: ctx.storeName,
    status: claim.status,
    claim,
    storeClaim: snapshot,
    storeVersion: snapshot.version,
    pendingActions: pending,
    receivedAt: copy?.receivedAt ?? ctx.at,
    version: (copy?.version ?? 0) + 1,
    createdAt: copy?.createdAt ?? ctx.at,
    updatedAt: ctx.at,
  };
}

/** The copy without one pending action (the store's claim refused it): the store's state shows again. */
export function withoutPending(
  copy: OemClaimCopy,
  actionId: string,
  rules: OemClaimRules,
  at: string,
): OemClaimCopy {
  const { claim, pending } = withPending(
    copy.storeClaim,
    copy.pendingActions.filter((a) => a.id !== actionId),
    rules,
  );
  return {
    ...copy,
    status: claim.status,
    claim,
    pendingActions: pending,
    version: copy.version + 1,
    updatedAt: at,
  };
}

/**
 * An OEM action on its copy: checked against the claim as the OEM sees it (the same rules as the store's
 * claim will apply), recorded as pending, and shown at once.
 */
export function decideOemCopyAction(
  copy: OemClaimCopy,
  record: OemActionRecord,
  rules: OemClaimRules,
): OemClaimCopy {
  const next = decideOemAction(copy.claim, record.action, { rules, at: record.at, by: record.by }).next;
  return {
    ...copy,
    status: next.status,
    claim: next,
    pendingActions: [...copy.pendingActions, record],
    version: copy.version + 1,
    updatedAt: record.at,
  };
}
