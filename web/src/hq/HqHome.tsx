import {
  type FigureTotals,
  HQ_FIGURE_COLUMNS,
  HQ_RATIO_COLUMNS,
  type Membership,
  permissionsOf,
} from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getGroupFigures } from './api.ts';

/** The HQ home of a group: `/hq/<groupId>`. */
export const hqHref = (groupId: string) => `/hq/${encodeURIComponent(groupId)}`;

/** The groups whose HQ home this user may open (an HQ role with `hq:read`), from `/v1/me`. */
export function hqGroups(memberships: readonly Membership[]): Membership[] {
  return memberships.filter((m) => m.tenantKind === 'group' && permissionsOf(m.roles).has('hq:read'));
}

type Column = (typeof HQ_FIGURE_COLUMNS)[number];
type Ratio = (typeof HQ_RATIO_COLUMNS)[number];
/** A row's figures and rates (a rate is null while there is nothing to divide by). */
type Figures = FigureTotals;
type Label = Column['label'];

/**
 * What the table shows: a figure, a rate derived from figures, or a group's sum (the staff head
 * count), after which the group's own figures follow when it is open.
 */
type Shown =
  | { kind: 'figure'; column: Column }
  | { kind: 'ratio'; ratio: Ratio }
  | { kind: 'group'; key: string; label: Label; members: Column[]; open: boolean };

/**
 * The columns in the contributions' order, each group as its sum (and its members when open), each
 * rate after the last shown column it is computed from.
 */
function shownColumns(open: ReadonlySet<string>): Shown[] {
  const shown = figureColumns(open);
  for (const ratio of HQ_RATIO_COLUMNS) {
    const inputs: readonly string[] = [ratio.numerator, ...ratio.denominator];
    const from = (s: Shown) =>
      s.kind === 'figure'
        ? inputs.includes(s.column.name)
        : s.kind === 'group' && s.members.some((c) => inputs.includes(c.name));
    shown.splice(shown.findLastIndex(from) + 1, 0, { kind: 'ratio', ratio });
  }
  return shown;
}

function figureColumns(open: ReadonlySet<string>): Shown[] {
  const shown: Shown[] = [];
  for (const column of HQ_FIGURE_COLUMNS) {
    const { group } = column;
    if (!group) {
      shown.push({ kind: 'figure', column });
      continue;
    }
    let sum = shown.find((s) => s.kind === 'group' && s.key === group.key);
    if (!sum) {
      sum = { kind: 'group', key: group.key, label: group.label, members: [], open: open.has(group.key) };
      shown.push(sum);
    }
    if (sum.kind === 'group') sum.members.push(column);
  }
  return shown.flatMap((s) =>
    s.kind === 'group' && s.open
      ? [s, ...s.members.map((column) => ({ kind: 'figure' as const, column }))]
      : [s],
  );
}

const shownValue = (s: Shown, figures: Figures): number | null =>
  s.kind === 'figure'
    ? figures[s.column.name]
    : s.kind === 'ratio'
      ? figures[s.ratio.name]
      : s.members.reduce((n, c) => n + figures[c.name], 0);
const keyOf = (s: Shown) => (s.kind === 'figure' ? s.column.name : s.kind === 'ratio' ? s.ratio.name : s.key);
const labelOf = (s: Shown) =>
  s.kind === 'figure' ? s.column.label : s.kind === 'ratio' ? s.ratio.label : s.label;

/** A ratio that is a number of times or days (stock turnover, days of supply), to one decimal. */
const isFraction = (s: Shown) => s.kind === 'ratio' && (s.ratio.unit ?? 'fraction') === 'fraction';
const tenths = (value: number) => Math.round(value * 10) / 10;

/** Money (fen) shown in yuan: a figure declared `unit: 'money'`. */
const isMoney = (s: Shown) => s.kind === 'figure' && s.column.unit === 'money';

/**
 * A rate in the download: a percentage Excel reads as a number in both languages, empty for none;
 * money in yuan to the fen.
 */
const csvValue = (s: Shown, figures: Figures) => {
  const value = shownValue(s, figures);
  if (isMoney(s) && value !== null) return (value / 100).toFixed(2);
  if (s.kind !== 'ratio') return value ?? '';
  if (value === null) return '';
  return isFraction(s) ? `${Number((value * 100).toFixed(1))}%` : tenths(value);
};

const csvCell = (v: string | number) =>
  /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);

/**
 * Every figure, each group's members included whatever is open on screen, as a CSV (UTF-8 with a BOM
 * so that Excel reads it right): what HQ takes into its own reports.
 */
function figuresCsv(
  view: { stores: ({ storeName: string } & Figures)[]; totals: Figures },
  locale: keyof Label,
  heads: { store: string; total: string },
): string {
  const columns = shownColumns(new Set(HQ_FIGURE_COLUMNS.flatMap((c) => (c.group ? [c.group.key] : []))));
  const line = (name: string, figures: Figures) =>
    [name, ...columns.map((s) => csvValue(s, figures))].map(csvCell).join(',');
  return `\uFEFF${[
    [heads.store, ...columns.map((s) => labelOf(s)[locale])].map(csvCell).join(','),
    ...view.stores.map((s) => line(s.storeName, s)),
    line(heads.total, view.totals),
  ].join('\r\n')}\r\n`;
}

/**
 * 集团看板: every store of the group with its figures and the group's totals. The columns, their order
 * and headings are the figures the capabilities contribute (`HQ_FIGURE_COLUMNS`) and the rates they
 * derive from them (`HQ_RATIO_COLUMNS`), none listed here; a group of figures (the head counts by role) is one column, its sum, that opens into its figures. The
 * download has every figure. Each store's name opens that store (read-only for HQ).
 */
export function HqHome({ groupId }: { groupId: string }) {
  const { t, locale, number, percent, yuan, date } = useI18n();
  const { me, http } = useSession();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const group = hqGroups(me.memberships).find((g) => g.tenantId === groupId);
  const {
    data: view,
    error,
    reload,
  } = useLoad(useCallback(() => getGroupFigures(http, groupId), [http, groupId]));
  const toggle = (key: string) =>
    setOpen((was) => {
      const next = new Set(was);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const columns = shownColumns(open);
  const shownText = (s: Shown, figures: Figures) => {
    const value = shownValue(s, figures);
    if (isFraction(s)) return percent(value);
    if (isMoney(s)) return yuan(value ?? undefined);
    return number(value === null ? undefined : s.kind === 'ratio' ? tenths(value) : value);
  };

  if (!group) return <Notice kind="warning">{t('hq.notAllowed')}</Notice>;
  return (
    <div class="page">
      <PageHeader
        title={t('hq.title')}
        subtitle={
          view ? t('hq.subtitle', { group: group.tenantName, day: date(view.asOf) }) : group.tenantName
        }
      />
      {error ? (
        <ErrorNotice error={error} onRetry={() => void reload()} />
      ) : !view ? (
        <Loading />
      ) : view.stores.length === 0 ? (
        <Notice>{t('hq.noStores')}</Notice>
      ) : (
        <Section title={t('hq.storesTitle')}>
          <div class="table-wrap">
            <table class="table hq-figures">
              <thead>
                <tr>
                  <th scope="col">{t('hq.store')}</th>
                  {columns.map((s) =>
                    s.kind !== 'group' ? (
                      <th key={keyOf(s)} scope="col" class="num">
                        {labelOf(s)[locale]}
                      </th>
                    ) : (
                      <th key={s.key} scope="col" class="num">
                        {s.label[locale]}{' '}
                        <button
                          type="button"
                          class="btn btn-small"
                          aria-expanded={s.open}
                          aria-label={t(s.open ? 'hq.hideByRole' : 'hq.showByRole', {
                            group: s.label[locale],
                          })}
                          onClick={() => toggle(s.key)}
                        >
                          {s.open ? '−' : '+'}
                        </button>
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {view.stores.map((store) => (
                  <tr key={store.storeId} data-store={store.storeId}>
                    <th scope="row">
                      <Link href={`/s/${encodeURIComponent(store.storeId)}`}>{store.storeName}</Link>
                    </th>
                    {columns.map((s) => (
                      <td key={keyOf(s)} class="num">
                        {shownText(s, store)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr class="totals">
                  <th scope="row">{t('hq.total')}</th>
                  {columns.map((s) => (
                    <td key={keyOf(s)} class="num">
                      {shownText(s, view.totals)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
          <p>
            <a
              class="btn"
              href={`data:text/csv;charset=utf-8,${encodeURIComponent(
                figuresCsv(view, locale, { store: t('hq.store'), total: t('hq.total') }),
              )}`}
              download={`hq-figures-${view.asOf.slice(0, 10)}.csv`}
            >
              {t('hq.download')}
            </a>
          </p>
          <p class="hint">{t('hq.note')}</p>
        </Section>
      )}
    </div>
  );
}
