import type { CustomerDetail } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { HistoryList } from '../components/HistoryList.tsx';
import { useLoad } from '../components/load.ts';
import {
  Badge,
  ErrorNotice,
  Facts,
  Loading,
  Notice,
  PageHeader,
  Plate,
  Section,
  Tabs,
  Vin,
} from '../components/ui.tsx';
import { contactWindowLabel, useI18n } from '../i18n/index.tsx';
import { customerHistory, customerName, customerVehicles, getCustomer, rememberName } from './api.ts';

interface MoreVehicles {
  /** The loaded record these pages continue. */
  of: unknown;
  items: CustomerDetail['vehicles'];
  nextCursor?: string | undefined;
}

/** 客户档案: contact details, consent, vehicles (owner / driver / fleet), history. */
export function CustomerPage({ customerId }: { customerId: string }) {
  const { t, m, dateTime } = useI18n();
  const { api, href, can, canOpen } = useStore();
  const {
    data: record,
    error,
    reload,
  } = useLoad(
    useCallback(
      () =>
        getCustomer(api, customerId).then((r) => {
          rememberName(api, r.data.id, r.data.name);
          return r;
        }),
      [api, customerId],
    ),
  );
  // A fleet's vehicles beyond the detail's first page, loaded on request; they belong to the record
  // they continue, so a reload starts again from the detail's own page.
  const [more, setMore] = useState<MoreVehicles>({ of: null, items: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [tab, setTab] = useState('profile');

  const nameOf = useCallback((id: string) => customerName(api, id), [api]);
  const loadHistory = useCallback(
    (cursor?: string) => customerHistory(api, customerId, cursor),
    [api, customerId],
  );

  if (error) return <ErrorNotice error={error} onRetry={() => void reload()} />;
  if (!record) return <Loading />;
  const c = record.data;
  const extra: MoreVehicles =
    more.of === record ? more : { of: record, items: [], nextCursor: c.vehiclesNextCursor };
  const vehicles = [...c.vehicles, ...extra.items];
  const current = vehicles.filter((v) => !v.until);
  const past = vehicles.filter((v) => v.until);
  const loadMoreVehicles = async () => {
    if (!extra.nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await customerVehicles(api, customerId, extra.nextCursor);
      setMore({ of: record, items: [...extra.items, ...page.items], nextCursor: page.nextCursor });
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };
  const tabs = [{ id: 'profile', label: t('customer.tabProfile') }];
  if (can('audit:read')) tabs.push({ id: 'history', label: t('tabs.history') });

  return (
    <div class="page">
      <PageHeader
        back={{ href: href(), label: t('nav.frontDesk') }}
        title={
          <>
            {c.name} <Badge>{m.customerKinds[c.kind]}</Badge>
          </>
        }
        subtitle={t('customer.title')}
        actions={
          canOpen(`customers/${c.id}/edit`) && (
            <>
              <Link class="btn" href={href(`customers/${c.id}/edit`)}>
                {t('customer.edit')}
              </Link>
              {canOpen('vehicles/new') && (
                <Link class="btn btn-primary" href={href(`vehicles/new?owner=${encodeURIComponent(c.id)}`)}>
                  {t('customer.addVehicle')}
                </Link>
              )}
            </>
          )
        }
      />
      <Tabs tabs={tabs} active={tab} onChange={setTab} />
      {tab === 'history' ? (
        <Section title={t('tabs.history')}>
          <HistoryList load={loadHistory} nameOf={nameOf} />
        </Section>
      ) : (
        <div class="grid-2">
          <Section title={t('customer.contact')}>
            {c.phonesMasked && <Notice kind="info">{t('customer.phonesMasked')}</Notice>}
            <Facts
              items={[
                ...(c.kind === 'company'
                  ? ([[t('customer.contactPerson'), c.contactPerson]] as [string, string | undefined][])
                  : []),
                ...c.phones.map((p, i): [string, preact.ComponentChildren] => [
                  `${t('customer.phone')} ${i + 1} · ${m.phoneLabels[p.label]}`,
                  c.phonesMasked ? p.number : <a href={`tel:${p.number}`}>{p.number}</a>,
                ]),
                [t('customer.email'), c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : undefined],
                [
                  t('customer.windows'),
                  c.preferredContactWindows.length
                    ? c.preferredContactWindows
                        .map((w) => contactWindowLabel(m.contactWindows[w], w))
                        .join('、')
                    : t('customer.windowsAny'),
                ],
                [t('customer.consentCalls'), c.consent.calls ? m.common.yes : m.common.no],
                [t('customer.consentMessages'), c.consent.messages ? m.common.yes : m.common.no],
              ]}
            />
          </Section>
          <Section title={t('customer.notes')}>
            {c.notes ? <p class="notes">{c.notes}</p> : <p class="empty">{t('customer.noNotes')}</p>}
            <Facts
              items={[
                [t('common.createdAt'), dateTime(c.createdAt)],
                [t('common.updatedAt'), dateTime(c.updatedAt)],
              ]}
            />
          </Section>
          <Section title={t('customer.vehicles')}>
            {current.length === 0 && <p class="empty">{t('customer.noVehicles')}</p>}
            {current.length > 0 && (
              <ul class="results">
                {current.map((v) => (
                  <li key={`${v.vehicle.id}-${v.role}`}>
                    <Link class="result-card" href={href(`vehicles/${v.vehicle.id}`)}>
                      <div class="result-main">
                        <Plate plate={v.vehicle.plate} />
                        <span class="result-title">
                          {v.vehicle.brand} {v.vehicle.model}
                        </span>
                        <Badge kind={v.role === 'owner' ? 'info' : 'neutral'}>{m.linkRoles[v.role]}</Badge>
                      </div>
                      <div class="result-meta">
                        <span>
                          <span class="meta-label">{t('vehicle.vinShort')}</span> <Vin vin={v.vehicle.vin} />
                        </span>
                        <span>
                          <span class="meta-label">{t('common.since')}</span> {dateTime(v.since)}
                        </span>
                      </div>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
            {past.length > 0 && (
              <details class="past">
                <summary>{t('customer.pastVehicles', { n: past.length })}</summary>
                <ul class="plain-list">
                  {past.map((v) => (
                    <li key={`${v.vehicle.id}-${v.role}-${v.since}`}>
                      <Link href={href(`vehicles/${v.vehicle.id}`)}>
                        {v.vehicle.plate ?? v.vehicle.vin} · {v.vehicle.brand} {v.vehicle.model}
                      </Link>{' '}
                      <span class="muted">
                        {m.linkRoles[v.role]} · {dateTime(v.since)} – {dateTime(v.until)}
                      </span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {moreError ? <ErrorNotice error={moreError} onRetry={() => void loadMoreVehicles()} /> : null}
            {extra.nextCursor && (
              <button type="button" class="btn" disabled={loadingMore} onClick={loadMoreVehicles}>
                {t('customer.moreVehicles')}
              </button>
            )}
          </Section>
        </div>
      )}
    </div>
  );
}
