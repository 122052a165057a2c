import { AppError, claimRulesOf, type DomainEvent, type EventPayload } from '@aftersales/domain';
import type { DataAccess } from '../index.ts';
import { Claims } from './claims.ts';
import { OemClaims } from './oem-claims.ts';

export type DecisionOutcome = 'applied' | 'refused' | 'not-filed-with-this-oem';

/**
 * 厂家审核 reaches the store: an OEM's action (`oemClaim.acted`, written in the OEM's partition by the OEM
 * API) applied to the store's claim through a session of that store, idempotent on the action's id. The
 * claim must be filed with the OEM whose partition the event came from: an OEM never touches another's
 * claim, whatever its event names. A refusal by the claim's rules (the store's claim moved on) takes the
 * action off the OEM's copy, so the OEM sees the store's state again.
 */
export async function applyOemClaimAction(data: DataAccess, event: DomainEvent): Promise<DecisionOutcome> {
  const acted = event.data as EventPayload<'oemClaim.acted'>;
  const oemId = event.tenantId;
  const actor = { userId: oemId, name: acted.by, roles: ['oem_claims' as const] };
  const claims = data.forTenant({ tenantId: acted.storeId, actor }).repo(Claims);
  const claim = await claims.get(acted.claimId);
  if (!claim || claim.oemId !== oemId || acted.oemId !== oemId) return 'not-filed-with-this-oem';
  try {
    await claims.applyOem(data.directory, acted.claimId, acted.action, {
      actionId: acted.actionId,
      by: acted.by,
    });
    return 'applied';
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500) throw e;
    const oem = await data.directory.getOrganisation(oemId);
    await data
      .forTenant({ tenantId: oemId, actor })
      .repo(OemClaims)
      .dropPending(acted.claimId, acted.actionId, claimRulesOf(oem?.kind === 'oem' ? oem : {}));
    return 'refused';
  }
}
