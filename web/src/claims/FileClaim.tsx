import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { Link, navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { ErrorNotice, Notice } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { RepairOrder } from '../repair-orders/api.ts';
import { fileClaim } from './api.ts';

/** The claim kinds a closed order's checked lines can give, by the lines' payer. */
const KINDS = [
  { payer: 'warranty', claimType: 'warranty', label: 'clm.file' },
  { payer: 'goodwill', claimType: 'goodwill', label: 'clm.fileGoodwill' },
] as const;

/**
 * 建索赔单 on the repair order: for a settled or delivered order with warranty (or goodwill) lines that
 * passed their final check, files the draft and opens it; work already on a claim links to that claim.
 */
export function FileClaimActions({ ro }: { ro: RepairOrder }) {
  const { t } = useI18n();
  const { api, can, href } = useStore();
  const key = useIdempotencyKey();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [existing, setExisting] = useState<string | null>(null);
  if (!can('claim:file') || (ro.status !== 'settled' && ro.status !== 'delivered')) return null;
  const kinds = KINDS.filter((k) => ro.lines.some((l) => l.payer === k.payer && l.status === 'checked'));
  if (kinds.length === 0) return null;

  const file = async (claimType: (typeof KINDS)[number]['claimType']) => {
    setBusy(true);
    setFailure(null);
    setExisting(null);
    const input = { repairOrderId: ro.id, claimType };
    try {
      const claim = await fileClaim(api, input, key(input));
      navigate(href(`claims/${claim.id}`));
    } catch (err) {
      if (
        err instanceof ApiError &&
        err.code === 'LINE_ALREADY_CLAIMED' &&
        typeof err.extra.claimId === 'string'
      ) {
        setExisting(err.extra.claimId);
      } else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="form-actions">
      {kinds.map((k) => (
        <button
          key={k.payer}
          type="button"
          class="btn btn-primary"
          disabled={busy}
          onClick={() => void file(k.claimType)}
        >
          {t(k.label)}
        </button>
      ))}
      {existing && (
        <Notice kind="info">
          {t('clm.alreadyClaimed')}{' '}
          <Link href={href(`claims/${existing}`)}>{t('clm.openClaim', { id: existing })}</Link>
        </Notice>
      )}
      {failure !== null && <ErrorNotice error={failure} />}
    </div>
  );
}
