import { HQ_FIGURE_COLUMNS, type Membership, permissionsOf } from '@aftersales/domain';
import { useCallback } from 'preact/hooks';
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

/**
 * 集团看板: every store of the group with its figures and the group's totals. The columns, their order
 * and headings are the figures the capabilities contribute (`HQ_FIGURE_COLUMNS`), none listed here. Each store's name opens that store
 * (read-only for HQ).
 */
export function HqHome({ groupId }: { groupId: string }) {
  const { t, locale, number, date } = useI18n();
  const { me, http } = useSession();
  const group = hqGroups(me.memberships).find((g) => g.tenantId === groupId);
  const {
    data: view,
    error,
    reload,
  } = useLoad(useCallback(() => getGroupFigures(http, groupId), [http, groupId]));

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
                  {HQ_FIGURE_COLUMNS.map((f) => (
                    <th key={f.name} scope="col" class="num">
                      {f.label[locale]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {view.stores.map((s) => (
                  <tr key={s.storeId} data-store={s.storeId}>
                    <th scope="row">
                      <Link href={`/s/${encodeURIComponent(s.storeId)}`}>{s.storeName}</Link>
                    </th>
                    {HQ_FIGURE_COLUMNS.map((f) => (
                      <td key={f.name} class="num">
                        {number(s[f.name])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr class="totals">
                  <th scope="row">{t('hq.total')}</th>
                  {HQ_FIGURE_COLUMNS.map((f) => (
                    <td key={f.name} class="num">
                      {number(view.totals[f.name])}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
          <p class="hint">{t('hq.note')}</p>
        </Section>
      )}
    </div>
  );
}
