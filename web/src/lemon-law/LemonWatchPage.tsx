import { useCallback } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Badge, PageHeader, Plate, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { type LemonWatchItem, listLemonWatch } from './api.ts';
import { FindingText } from './LemonBanner.tsx';

export function LemonLevelBadge({ level }: { level: LemonWatchItem['level'] }) {
  const { t } = useI18n();
  const kind = level === 'alert' ? 'danger' : level === 'warning' ? 'warning' : 'neutral';
  return <Badge kind={kind}>{t(`lemon.levels.${level}`)}</Badge>;
}

/** 三包预警车辆: the store's vehicles under alert, then warning, each with its top finding (one Query a page). */
export function LemonWatchPage() {
  const { t, dateTime } = useI18n();
  const { api, href, canOpen } = useStore();
  const list = usePagedList<LemonWatchItem>(
    useCallback((cursor?: string) => listLemonWatch(api, cursor ? { cursor } : {}), [api]),
  );
  const vehicleLink = (v: LemonWatchItem) => {
    const label = (
      <>
        <Plate plate={v.vehicle.plate} /> {v.vehicle.brand} {v.vehicle.model}
      </>
    );
    const to = `vehicles/${encodeURIComponent(v.vehicleId)}`;
    return canOpen(to) ? <Link href={href(to)}>{label}</Link> : label;
  };
  return (
    <div class="page page-wide">
      <PageHeader title={t('lemon.title')} />
      <p>{t('lemon.intro')}</p>
      <Section title={t('nav.lemonLaw')}>
        <ListTable
          {...list}
          columns={[
            { label: t('lemon.vehicle'), cell: vehicleLink },
            { label: t('lemon.level'), cell: (v) => <LemonLevelBadge level={v.level} /> },
            {
              label: t('lemon.finding'),
              cell: (v) => (v.top ? <FindingText finding={v.top} /> : t('lemon.expired')),
            },
            { label: t('lemon.findings'), num: true, cell: (v) => v.findings },
            { label: t('lemon.ruleset'), cell: (v) => v.rulesetId ?? '—' },
            { label: t('lemon.updated'), cell: (v) => dateTime(v.updatedAt) },
          ]}
          rowKey={(v) => v.vehicleId}
          empty={t('lemon.none')}
        />
      </Section>
    </div>
  );
}
