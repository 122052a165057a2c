import type { Customer, VehicleListItem } from '@aftersales/domain';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { Link, navigate, privateParams, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, Notice, Section } from '../components/ui.tsx';
import { searchCustomers } from '../customers/api.ts';
import { useI18n } from '../i18n/index.tsx';
import { searchVehicles } from '../vehicles/api.ts';
import { detectSearch, SEARCH_KINDS, type SearchKind, searchRequest } from './detect.ts';
import { CustomerCard, VehicleCard } from './ResultCards.tsx';

type Results =
  | { state: 'idle' }
  | { state: 'loading' }
  /** A phone look-up by a role that sees phones masked: not sent (the API would refuse it). */
  | { state: 'phoneNotAllowed' }
  | { state: 'error'; error: unknown }
  | { state: 'vehicles'; items: VehicleListItem[]; nextCursor?: string | undefined }
  | { state: 'customers'; items: Customer[]; nextCursor?: string | undefined };

function isKind(v: string | null): v is SearchKind {
  return v !== null && (SEARCH_KINDS as readonly string[]).includes(v);
}

/** 前台查询: one box for plate, VIN, phone or name; recently served vehicles below. */
export function FrontDesk() {
  const { t, m } = useI18n();
  const { api, href, can } = useStore();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const forced = query.get('by');
  const kind: SearchKind | undefined = q ? (isKind(forced) ? forced : detectSearch(q)) : undefined;
  const [text, setText] = useState(q);
  const [results, setResults] = useState<Results>({ state: 'idle' });
  const [more, setMore] = useState(false);
  const typedKind = detectSearch(text);
  // Whether a number finds a customer would tell a masked role the number: phone look-ups are for roles
  // that contact customers.
  const canContact = can('customer:contact');
  const kinds = SEARCH_KINDS.filter((k) => k !== 'phone' || canContact);

  useEffect(() => setText(q), [q]);

  useEffect(() => {
    if (!q || !kind) {
      setResults({ state: 'idle' });
      return;
    }
    if (kind === 'phone' && !canContact) {
      setResults({ state: 'phoneNotAllowed' });
      return;
    }
    const ctl = new AbortController();
    setResults({ state: 'loading' });
    const req = searchRequest(kind, q);
    const done = (r: Results) => !ctl.signal.aborted && setResults(r);
    const fail = (error: unknown) => {
      if (error instanceof Error && error.name === 'AbortError') return;
      done({ state: 'error', error });
    };
    if (req.target === 'vehicles') {
      searchVehicles(api, req.query, ctl.signal).then(
        (p) => done({ state: 'vehicles', items: p.items, nextCursor: p.nextCursor }),
        fail,
      );
    } else {
      searchCustomers(api, req.query, ctl.signal).then(
        (p) => done({ state: 'customers', items: p.items, nextCursor: p.nextCursor }),
        fail,
      );
    }
    return () => ctl.abort();
  }, [q, kind, api, canContact]);

  const submit = (e: Event) => {
    e.preventDefault();
    const v = text.trim();
    navigate(v ? `${href()}${privateParams({ q: v })}` : href());
  };

  const loadMore = async () => {
    if ((results.state !== 'vehicles' && results.state !== 'customers') || !results.nextCursor || !kind)
      return;
    setMore(true);
    try {
      const req = searchRequest(kind, q);
      if (req.target === 'vehicles' && results.state === 'vehicles') {
        const p = await searchVehicles(api, { ...req.query, cursor: results.nextCursor });
        setResults({ state: 'vehicles', items: [...results.items, ...p.items], nextCursor: p.nextCursor });
      } else if (req.target === 'customers' && results.state === 'customers') {
        const p = await searchCustomers(api, { ...req.query, cursor: results.nextCursor });
        setResults({ state: 'customers', items: [...results.items, ...p.items], nextCursor: p.nextCursor });
      }
    } catch (error) {
      setResults({ state: 'error', error });
    } finally {
      setMore(false);
    }
  };

  return (
    <div class="front-desk">
      {/* The screen's name for screen readers; sighted users see it in the navigation, and the search box first. */}
      <h1 class="visually-hidden">{t('nav.frontDesk')}</h1>
      <search>
        <form class="search-panel" onSubmit={submit}>
          <label for="front-desk-search" class="search-label">
            {t('search.label')}
          </label>
          <div class="search-row">
            <input
              id="front-desk-search"
              type="search"
              value={text}
              placeholder={t('search.placeholder')}
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              enterKeyHint="search"
              aria-describedby="front-desk-search-kind"
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button type="submit" class="btn btn-primary">
              {t('search.submit')}
            </button>
          </div>
          <p class="search-kind" id="front-desk-search-kind" aria-live="polite">
            {typedKind ? t('search.detected', { kind: m.searchKinds[typedKind] }) : t('search.help')}
          </p>
        </form>
      </search>

      {q && kind && (
        <Section
          title={t('search.results')}
          actions={
            <fieldset class="kind-switch">
              <legend class="meta-label">{t('search.searchAs')}</legend>
              {kinds.map((k) => (
                <Link
                  key={k}
                  class={k === kind ? 'chip active' : 'chip'}
                  aria-current={k === kind ? 'true' : undefined}
                  href={`${href()}${privateParams({ q, by: k })}`}
                >
                  {m.searchKinds[k]}
                </Link>
              ))}
            </fieldset>
          }
        >
          <ResultList results={results} q={q} kind={kind} canWrite={can('registry:write')} />
          {(results.state === 'vehicles' || results.state === 'customers') && results.nextCursor && (
            <button type="button" class="btn" disabled={more} onClick={loadMore}>
              {t('action.loadMore')}
            </button>
          )}
        </Section>
      )}

      {!q && <RecentVehicles />}
    </div>
  );
}

function ResultList({
  results,
  q,
  kind,
  canWrite,
}: {
  results: Results;
  q: string;
  kind: SearchKind;
  canWrite: boolean;
}) {
  const { t } = useI18n();
  const { href } = useStore();
  const _vehicles = results.state === 'vehicles' ? results.items : [];
  if (results.state === 'idle' || results.state === 'loading')
    return <Loading label={t('search.searching')} />;
  if (results.state === 'phoneNotAllowed') return <Notice kind="info">{t('search.phoneNotAllowed')}</Notice>;
  if (results.state === 'error') {
    if (results.error instanceof ApiError && results.error.status === 400) {
      return <Notice kind="warning">{t('search.invalid', { kind: t(`search.hint.${kind}`) })}</Notice>;
    }
    return <ErrorNotice error={results.error} />;
  }
  if (results.items.length === 0) {
    const q6 = encodeURIComponent(q.trim());
    return (
      <div class="empty">
        <p>{t('search.none', { q })}</p>
        {canWrite && (
          <div class="actions">
            {kind === 'plate' && (
              <Link class="btn" href={href(`vehicles/new?plate=${q6}`)}>
                {t('search.registerWithPlate')}
              </Link>
            )}
            {kind === 'vin' && q.trim().length >= 17 && (
              <Link class="btn" href={href(`vehicles/new?vin=${q6}`)}>
                {t('search.registerWithVin')}
              </Link>
            )}
            <Link
              class="btn"
              href={href(
                kind === 'phone'
                  ? `customers/new${privateParams({ phone: q.trim() })}`
                  : kind === 'name'
                    ? `customers/new${privateParams({ name: q.trim() })}`
                    : 'customers/new',
              )}
            >
              {t('nav.newCustomer')}
            </Link>
          </div>
        )}
      </div>
    );
  }
  return (
    <>
      <p class="result-count">{t('search.count', { n: results.items.length })}</p>
      <ul class="results">
        {results.state === 'vehicles'
          ? results.items.map((v) => <VehicleCard key={v.id} vehicle={v} ownerName={v.ownerName} />)
          : results.items.map((c) => <CustomerCard key={c.id} customer={c} />)}
      </ul>
    </>
  );
}

function RecentVehicles() {
  const { t } = useI18n();
  const { api } = useStore();
  const { data, error, reload } = useLoad(
    useCallback(() => searchVehicles(api, { recent: 'true', limit: 12 }), [api]),
  );
  const items = data?.items ?? [];
  return (
    <Section title={t('search.recent')}>
      {!data && !error && <Loading />}
      {error && <ErrorNotice error={error} onRetry={() => void reload()} />}
      {data && items.length === 0 && <p class="empty">{t('search.recentNone')}</p>}
      {items.length > 0 && (
        <ul class="results">
          {items.map((v) => (
            <VehicleCard key={v.id} vehicle={v} ownerName={v.ownerName} />
          ))}
        </ul>
      )}
    </Section>
  );
}
