import { useCallback, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useVersionedRecord } from '../components/conflict.tsx';
import { TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { ErrorNotice, Facts, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import {
  countStocktake,
  getStocktake,
  postStocktake,
  type Stocktake,
  type StocktakeLine,
  transitionStocktake,
} from './api.ts';
import { StocktakeStatusBadge } from './StocktakeStatus.tsx';

/** A line named by `STOCK_MOVED_SINCE_COUNT`: its bin moved since it was counted. */
interface MovedLine {
  bin: string;
  partId: string;
  partNumber: string;
  onHandAtCount: number;
  onHandNow: number;
}

function movedLines(err: unknown): MovedLine[] {
  if (!(err instanceof ApiError) || err.code !== 'STOCK_MOVED_SINCE_COUNT') return [];
  const lines = err.extra.lines;
  return Array.isArray(lines)
    ? lines.filter((l): l is MovedLine => typeof l?.bin === 'string' && typeof l?.partId === 'string')
    : [];
}

/** The count screen walking only `lines` (a recount). */
export const recountHref = (stocktakeId: string, lines: readonly { bin: string; partId: string }[]) =>
  `stocktakes/${encodeURIComponent(stocktakeId)}/count?${new URLSearchParams({ recount: lines.map(keyOf).join(',') })}`;

/** A line's entries as typed: a count and a reason, by line key. */
type Entries = Record<string, { counted: string; reason: string }>;
export const keyOf = (l: { bin: string; partId: string }) => `${l.bin}#${l.partId}`;

/** The count a line shows: what was typed, else what was saved. */
function typedCount(line: StocktakeLine, entries: Entries): number | undefined {
  const typed = entries[keyOf(line)]?.counted;
  if (typed !== undefined && typed !== '') return Number(typed);
  return line.counted;
}

/**
 * 盘点表: the sheet with its book counts frozen when it opened (printable on A4 with blank count and
 * signature boxes), the counts and reasons typed in, the differences, and the moves: hand in, reopen,
 * cancel, and for the parts manager post. Read-only roles see the sheet without inputs.
 */
export function StocktakePage({ stocktakeId }: { stocktakeId: string }) {
  const { t, date, dateTime } = useI18n();
  const { api, can, href } = useStore();
  const record = useVersionedRecord(useCallback(() => getStocktake(api, stocktakeId), [api, stocktakeId]));
  const errors = useFormErrors();
  const [entries, setEntries] = useState<Entries>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [moved, setMoved] = useState<MovedLine[]>([]);

  if (record.error) return <ErrorNotice error={record.error} onRetry={record.reload} />;
  if (!record.data) return <Loading />;
  const s: Stocktake = record.data.data;
  const editable = can('stocktake:count') && (s.status === 'open' || s.status === 'counted');

  const run = async (fn: (etag: string) => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setSaved(false);
    try {
      await record.change(fn);
      errors.set({});
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const post = () =>
    run(async (etag) => {
      setMoved([]);
      try {
        return await postStocktake(api, s.id, etag);
      } catch (err) {
        setMoved(movedLines(err));
        throw err;
      }
    });

  const saveCounts = () =>
    run(async () => {
      const lines = s.lines.flatMap((l) => {
        const e = entries[keyOf(l)];
        if (!e) return [];
        const counted = e.counted === '' ? undefined : Number(e.counted);
        const reason = e.reason.trim() || undefined;
        if (counted === undefined && reason === undefined) return [];
        return [
          {
            bin: l.bin,
            partId: l.partId,
            ...(counted === undefined ? {} : { counted }),
            ...(reason ? { reason } : {}),
          },
        ];
      });
      if (lines.length) await countStocktake(api, s.id, { lines });
      setEntries({});
      setSaved(true);
    });

  const entry = (l: StocktakeLine) => entries[keyOf(l)] ?? { counted: '', reason: '' };
  const setEntry = (l: StocktakeLine, patch: Partial<{ counted: string; reason: string }>) =>
    setEntries((all) => ({ ...all, [keyOf(l)]: { ...entry(l), ...patch } }));
  const part = (l: StocktakeLine) => `${l.partNumber} ${l.name.zh}`;

  return (
    <div class="page page-wide count-sheet">
      <PageHeader
        title={t('stk.sheetTitle', { date: date(s.date) })}
        subtitle={`${t(`stk.kinds.${s.kind}`)} · ${s.locationPrefix || t('stk.wholeStore')}`}
      />
      <Facts
        items={[
          [t('stk.status'), <StocktakeStatusBadge key="s" status={s.status} />],
          [t('stk.progress'), t('stk.progressOf', { counted: s.summary.counted, lines: s.summary.lines })],
          [t('stk.variances'), `${s.summary.variances} (${s.summary.net > 0 ? '+' : ''}${s.summary.net})`],
          ...(s.postedAt ? ([[t('stk.statuses.posted'), dateTime(s.postedAt)]] as [string, string][]) : []),
        ]}
      />
      <div class="form-actions no-print">
        <button type="button" class="btn" onClick={() => window.print()}>
          {t('stk.print')}
        </button>
        {editable && (
          <Link class="btn" href={href(`stocktakes/${encodeURIComponent(s.id)}/count`)}>
            {t('stk.phone')}
          </Link>
        )}
      </div>
      {record.stale && <Notice kind="warning">{t('conflict.reload')}</Notice>}
      {s.summary.unexplained > 0 && (
        <Notice kind="warning">{t('stk.unexplained', { n: s.summary.unexplained })}</Notice>
      )}
      <ValidatedForm errors={errors} order={[]} onSubmit={saveCounts}>
        {saved && <Notice kind="success">{t('stk.saved')}</Notice>}
        <table class="table sheet-table">
          <thead>
            <tr>
              <th scope="col">{t('stk.bin')}</th>
              <th scope="col">{t('stk.partNumber')}</th>
              <th scope="col">{t('stk.part')}</th>
              <th scope="col" class="num">
                {t('stk.book')}
              </th>
              <th scope="col" class="num">
                {t('stk.counted')}
              </th>
              <th scope="col" class="num">
                {t('stk.variance')}
              </th>
              <th scope="col">{t('stk.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {s.lines.map((l) => {
              const counted = typedCount(l, entries);
              // Against the bin as it was when counted (moves since the sheet opened included).
              const variance = counted === undefined ? undefined : counted - (l.onHandAtCount ?? l.book);
              return (
                <tr key={keyOf(l)}>
                  <td>{l.bin}</td>
                  <td>{l.partNumber}</td>
                  <td>{l.name.zh}</td>
                  <td class="num">{l.book}</td>
                  <td class="num">
                    {editable ? (
                      <input
                        class="count-input"
                        type="number"
                        min={0}
                        inputMode="numeric"
                        aria-label={t('stk.countOf', { part: part(l), bin: l.bin })}
                        placeholder={l.counted === undefined ? '' : String(l.counted)}
                        value={entry(l).counted}
                        onInput={(e) => setEntry(l, { counted: e.currentTarget.value })}
                      />
                    ) : (
                      (l.counted ?? '')
                    )}
                  </td>
                  <td class="num">
                    {variance === undefined || variance === 0 ? '' : variance > 0 ? `+${variance}` : variance}
                  </td>
                  <td>
                    {editable && variance ? (
                      <input
                        type="text"
                        maxLength={300}
                        aria-label={t('stk.reasonOf', { part: part(l), bin: l.bin })}
                        placeholder={l.reason ?? ''}
                        value={entry(l).reason}
                        onInput={(e) => setEntry(l, { reason: e.currentTarget.value })}
                      />
                    ) : (
                      <>
                        {l.reason ?? ''}
                        {l.posted ? ` (${t('stk.postedLine')})` : ''}
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p class="print-only">{t('stk.signatures')}</p>
        {editable && (
          <div class="form-actions no-print">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {t('stk.saveCounts')}
            </button>
          </div>
        )}
      </ValidatedForm>
      {editable && (
        <Section title={t('stk.status')}>
          <div class="form-actions no-print">
            {s.status === 'open' && (
              <button
                type="button"
                class="btn"
                disabled={busy}
                onClick={() => run((e) => transitionStocktake(api, s.id, { to: 'counted' }, e))}
              >
                {t('stk.handIn')}
              </button>
            )}
            {s.status === 'counted' && (
              <button
                type="button"
                class="btn"
                disabled={busy}
                onClick={() => run((e) => transitionStocktake(api, s.id, { to: 'open' }, e))}
              >
                {t('stk.reopen')}
              </button>
            )}
            {s.status === 'counted' && can('stocktake:post') && (
              <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void post()}>
                {t('stk.post')}
              </button>
            )}
          </div>
          {s.status === 'counted' && can('stocktake:post') && <p class="hint">{t('stk.postHint')}</p>}
          {moved.length > 0 && (
            <Notice kind="warning">
              <p>{t('stk.movedSinceCount')}</p>
              <ul>
                {moved.map((l) => (
                  <li key={keyOf(l)}>
                    {t('stk.movedLine', {
                      bin: l.bin,
                      part: l.partNumber,
                      counted: l.onHandAtCount,
                      now: l.onHandNow,
                    })}
                  </li>
                ))}
              </ul>
              <Link class="btn" href={href(recountHref(s.id, moved))}>
                {t('stk.recount', { n: moved.length })}
              </Link>
            </Notice>
          )}
          <div class="grid-2 no-print">
            <TextField
              label={t('stk.cancelReason')}
              value={cancelReason}
              onValue={setCancelReason}
              maxLength={300}
            />
            <div class="form-actions">
              <button
                type="button"
                class="btn btn-danger"
                disabled={busy || !cancelReason.trim()}
                onClick={() =>
                  run((e) =>
                    transitionStocktake(api, s.id, { to: 'cancelled', reason: cancelReason.trim() }, e),
                  )
                }
              >
                {t('stk.cancel')}
              </button>
            </div>
          </div>
        </Section>
      )}
    </div>
  );
}
