import type { Schemas } from '@aftersales/api-client';
import { useEffect, useState } from 'preact/hooks';
import type { Messages } from '../i18n/index.tsx';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNotice, Loading } from './ui.tsx';

function fieldName(field: string, m: Messages): string {
  return (m.fields as Record<string, string>)[field] ?? field;
}

/** Enumerated values by field, shown in the user's language. */
function enumLabel(field: string, v: string, m: Messages): string | undefined {
  const groups: Record<string, Record<string, string>> = {
    kind: m.customerKinds,
    powertrain: m.powertrains,
    preferredContactWindows: m.contactWindows,
    source: m.odometerSources,
  };
  return groups[field]?.[v];
}

interface Fmt {
  m: Messages;
  dateOrDateTime: (value: string) => string;
  number: (n: number) => string;
  /** Customer names by id (history records ids; people read names). */
  names: Record<string, string | undefined>;
}

function formatValue(v: unknown, f: Fmt, field = ''): string {
  const { m } = f;
  if (v === undefined || v === null || v === '') return '—';
  if (Array.isArray(v) && v.length === 0) return '—';
  if (typeof v === 'boolean') return v ? m.common.yes : m.common.no;
  // Quantities as elsewhere (30,973 km); a year is a name, not a quantity (2024, not 2,024).
  if (typeof v === 'number') return field === 'modelYear' ? String(v) : f.number(v);
  if (typeof v === 'string') {
    if (v.startsWith('cus_') && f.names[v]) return f.names[v]!;
    const when = f.dateOrDateTime(v);
    if (when !== v) return when;
    return enumLabel(field, v, m) ?? v;
  }
  if (Array.isArray(v)) {
    return v
      .map((x) => {
        if (typeof x === 'object' && x !== null && 'number' in x) {
          const p = x as { number: unknown; label?: unknown };
          const label =
            typeof p.label === 'string' ? (m.phoneLabels as Record<string, string>)[p.label] : undefined;
          return label ? `${label} ${String(p.number)}` : String(p.number);
        }
        return formatValue(x, f, field);
      })
      .join(', ');
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // An owner ({customerId, since}) reads as the person's name.
    if (typeof o.customerId === 'string') return formatValue(o.customerId, f);
    return Object.entries(o)
      .map(([k, x]) => `${fieldName(k, m)}: ${formatValue(x, f, k)}`)
      .join('; ');
  }
  return JSON.stringify(v);
}

/** Customer ids mentioned anywhere in the entries' changes. */
function customerIds(entries: Schemas['AuditPage']['items']): string[] {
  const ids = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string' && v.startsWith('cus_')) ids.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  for (const e of entries) for (const c of e.changes) walk([c.from, c.to]);
  return [...ids];
}

/** 变更记录: who changed the record, when, and each field's old → new value. */
export function HistoryList({
  load,
  nameOf,
}: {
  load: (cursor?: string) => Promise<Schemas['AuditPage']>;
  nameOf: (customerId: string) => Promise<string | undefined>;
}) {
  const { t, m, dateTime, dateOrDateTime, number } = useI18n();
  const [names, setNames] = useState<Record<string, string | undefined>>({});
  const [page, setPage] = useState<Schemas['AuditPage'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    load().then(setPage, setError);
  }, [load]);

  const idsKey = page ? customerIds(page.items).join(',') : '';
  useEffect(() => {
    if (!idsKey) return;
    let live = true;
    Promise.all(idsKey.split(',').map(async (id) => [id, await nameOf(id)] as const)).then((pairs) => {
      if (live) setNames(Object.fromEntries(pairs));
    });
    return () => {
      live = false;
    };
  }, [idsKey, nameOf]);
  const fmt: Fmt = { m, dateOrDateTime, number, names };

  const more = async () => {
    if (!page?.nextCursor) return;
    setBusy(true);
    try {
      const next = await load(page.nextCursor);
      setPage({
        items: [...page.items, ...next.items],
        ...(next.nextCursor ? { nextCursor: next.nextCursor } : {}),
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorNotice error={error} />;
  if (!page) return <Loading />;
  if (page.items.length === 0) return <p class="empty">{t('history.none')}</p>;
  return (
    <>
      <ol class="history">
        {page.items.map((e) => (
          <li key={e.id} class="history-entry">
            <div class="history-head">
              <span
                class={`badge badge-${e.action === 'create' || e.action === 'import' ? 'success' : 'info'}`}
              >
                {m.auditActions[e.action]}
              </span>
              <span class="history-who">
                {e.actor.name}
                {e.actor.roles.length > 0 && (
                  <span class="muted"> · {e.actor.roles.map((r) => m.roles[r]).join(' · ')}</span>
                )}
              </span>
              <time dateTime={e.at}>{dateTime(e.at)}</time>
            </div>
            {e.changes.length > 0 && (
              <table class="changes">
                <colgroup>
                  <col class="col-field" />
                  <col />
                  <col />
                </colgroup>
                <caption class="visually-hidden">{t('history.changes')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('history.field')}</th>
                    <th scope="col">{t('history.from')}</th>
                    <th scope="col">{t('history.to')}</th>
                  </tr>
                </thead>
                <tbody>
                  {e.changes.map((c) => (
                    <tr key={c.field}>
                      <th scope="row">{fieldName(c.field, m)}</th>
                      <td class="from">{formatValue(c.from, fmt, c.field)}</td>
                      <td>{formatValue(c.to, fmt, c.field)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ol>
      {page.nextCursor && (
        <button type="button" class="btn" onClick={more} disabled={busy}>
          {t('action.loadMore')}
        </button>
      )}
    </>
  );
}
