import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorNotice, Loading, Notice } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';

/** Fen as yuan, two decimals (¥1,234.50). */
export const yuan = (m: { amountMinor: number }) => `¥${(m.amountMinor / 100).toFixed(2)}`;

/** A page of records loaded for a table: loading, the error, nothing yet, or the rows. */
export function Listed<T>({
  loaded,
  children,
}: {
  loaded: { data: { items: T[] } | null; error: unknown; reload: () => Promise<void> };
  children: (items: T[]) => ComponentChildren;
}) {
  const { t } = useI18n();
  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />;
  if (!loaded.data) return <Loading />;
  if (loaded.data.items.length === 0) return <p class="muted">{t('purchase.none')}</p>;
  return <>{children(loaded.data.items)}</>;
}

/**
 * A button that runs one change of the record and shows its failure beside it (a stale version says
 * so: the record is reloaded by `useVersionedRecord`).
 */
export function ActionButton({
  label,
  run,
  kind = 'btn',
}: {
  label: string;
  run: () => Promise<void>;
  kind?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        class={kind}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setFailure(null);
          try {
            await run();
          } catch (e) {
            setFailure(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {label}
      </button>
      {failure !== null && <ErrorNotice error={failure} />}
    </>
  );
}

/** Who signed a step, and when; or that it waits. */
export function Signed({ by }: { by: { name: string; at: string } | undefined }) {
  const { t, dateTime } = useI18n();
  return by ? (
    <p class="muted">{t('purchase.done', { name: by.name, time: dateTime(by.at) })}</p>
  ) : (
    <Notice kind="info">{t('purchase.waiting')}</Notice>
  );
}
