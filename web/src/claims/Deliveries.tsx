import type { Schemas } from '@aftersales/api-client';
import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { Badge, ErrorNotice, Loading } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { claimDeliveries } from './api.ts';

type Delivery = Schemas['ClaimDelivery'];

const KIND: Record<Delivery['status'], 'info' | 'warning' | 'success' | 'danger'> = {
  pending: 'info',
  retrying: 'warning',
  delivered: 'success',
  failed: 'danger',
};

/**
 * 推送记录: each change of the claim as the OEM's systems were sent it (signed webhooks), with its
 * attempts: the store sees that its OEM was told, and when a delivery failed. `version` re-reads it when
 * the claim changes.
 */
export function ClaimDeliveries({ claimId, version }: { claimId: string; version: number }) {
  const { t, dateTime } = useI18n();
  const { api } = useStore();
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    claimDeliveries(api, claimId)
      .then((page) => live && setItems(page.items))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, claimId, version]);
  if (error) return <ErrorNotice error={error} />;
  if (!items) return <Loading />;
  if (items.length === 0) return <p class="empty">{t('clm.deliveriesNone')}</p>;
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">{t('clm.deliveryEvent')}</th>
          <th scope="col">{t('clm.status')}</th>
          <th scope="col">{t('clm.deliveryAttempts')}</th>
          <th scope="col">{t('clm.deliveryLast')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((d) => (
          <tr key={d.id}>
            <td>
              <code>{d.eventType}</code>
            </td>
            <td>
              <Badge kind={KIND[d.status]}>{t(`clm.deliveryStatus.${d.status}`)}</Badge>
            </td>
            <td>{d.attemptCount}</td>
            <td>
              {d.deliveredAt
                ? dateTime(d.deliveredAt)
                : d.nextAttemptAt
                  ? t('clm.deliveryNext', { at: dateTime(d.nextAttemptAt) })
                  : (d.lastAttempt?.error ?? '')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
