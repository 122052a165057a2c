import { useCallback } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { Badge, Notice, NoticeHeading } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getLemonStatus, type LemonFinding } from './api.ts';

/** A finding's rule, its count against the threshold and what is left, in the screen's language. */
export function FindingText({ finding }: { finding: LemonFinding }) {
  const { t, locale } = useI18n();
  const unit = (u: string) => t(`lemon.units.${u as 'repairs' | 'days' | 'replacements'}`);
  return (
    <>
      <strong>{finding.label[locale]}</strong>
      {finding.subject && <> · {finding.subject}</>} ·{' '}
      {t('lemon.count', { value: finding.value, threshold: finding.threshold, unit: unit(finding.unit) })} ·{' '}
      {t('lemon.left', { count: finding.left.count, unit: unit(finding.left.unit) })}
    </>
  );
}

/**
 * 三包预警 banner: shown wherever staff meet the car (booking, reception, the RO, the claim) when the
 * vehicle is under warning or alert, with each finding's rule, the repair orders that count and what is
 * left. Shows nothing at level none, to staff without `lemon_law:read`, or while it loads (it never holds
 * the screen up).
 */
export function LemonBanner({ vehicleId }: { vehicleId: string }) {
  const { can } = useStore();
  return can('lemon_law:read') ? <LemonBannerLoaded vehicleId={vehicleId} /> : null;
}

function LemonBannerLoaded({ vehicleId }: { vehicleId: string }) {
  const { t, locale, date } = useI18n();
  const { api, href, canOpen } = useStore();
  const loaded = useLoad(useCallback(() => getLemonStatus(api, vehicleId), [api, vehicleId]));
  const status = loaded.data?.status;
  if (!status || status.level === 'none') return null;
  const findings = status.findings.filter((f) => f.level !== 'notice');
  const roLink = (id: string) =>
    canOpen(`repair-orders/${id}`) ? (
      <Link href={href(`repair-orders/${encodeURIComponent(id)}`)}>{id}</Link>
    ) : (
      id
    );
  return (
    <div data-testid="lemon-banner" data-level={status.level}>
      <Notice kind={status.level === 'alert' ? 'error' : 'warning'}>
        <NoticeHeading>
          {t(status.level === 'alert' ? 'lemon.bannerAlert' : 'lemon.bannerWarning')} ({status.rulesetId})
        </NoticeHeading>
        <ul class="lemon-findings">
          {findings.map((f) => (
            <li key={`${f.rule}:${f.subject ?? ''}`}>
              <Badge kind={f.level === 'alert' ? 'danger' : 'warning'}>{t(`lemon.levels.${f.level}`)}</Badge>{' '}
              <FindingText finding={f} /> · {t('lemon.remedy')}: {f.remedyLabel[locale]}
              <div>
                {t('lemon.counting')}:{' '}
                {f.repairOrderIds.map((id, i) => (
                  <span key={id}>
                    {i > 0 && ', '}
                    {roLink(id)}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
        <div>
          {t('lemon.validUntil', { date: date(status.validity.endsOn), km: status.validity.endsAtKm })}
        </div>
      </Notice>
    </div>
  );
}
