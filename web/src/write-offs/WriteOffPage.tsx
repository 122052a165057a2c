import { WriteOffApprover } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useVersionedRecord } from '../components/conflict.tsx';
import { TextField } from '../components/forms.tsx';
import { ErrorNotice, Facts, Loading, Notice, PageHeader, Section, useErrorText } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { approveWriteOff, cancelWriteOff, getWriteOff, postWriteOff } from './api.ts';
import { yuan } from './money.ts';
import { WriteOffStatusBadge } from './WriteOffsPage.tsx';

/**
 * One write-off: what and why, the three confirmations (each user confirms as a role they hold), the
 * move into custody once all three are in, and who bears the loss once posted.
 */
export function WriteOffPage({ writeOffId }: { writeOffId: string }) {
  const { t, dateTime } = useI18n();
  const errorText = useErrorText();
  const { api, can, profile } = useStore();
  const record = useVersionedRecord(useCallback(() => getWriteOff(api, writeOffId), [api, writeOffId]));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [reason, setReason] = useState('');

  if (record.error) return <ErrorNotice error={record.error} onRetry={record.reload} />;
  if (!record.data) return <Loading />;
  const w = record.data.data;
  const pending = w.status === 'pending';
  const held = new Set<string>(profile?.roles ?? []);

  const run = async (fn: (etag: string) => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    try {
      await record.change(fn);
      setProblem('');
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader title={`${t('wof.title')} · ${w.partNumber} ${w.name.zh}`} />
      {problem && <Notice kind="error">{problem}</Notice>}
      {record.stale && <Notice kind="warning">{t('conflict.reload')}</Notice>}
      <Facts
        items={[
          [t('wof.status'), <WriteOffStatusBadge key="s" status={w.status} />],
          [t('wof.bin'), w.bin],
          [t('wof.quantity'), String(w.quantity)],
          [t('wof.condition'), t(`wof.conditions.${w.condition}`)],
          [t('wof.reason'), w.reason],
          [t('wof.value'), yuan(w.valueMinor)],
          [t('wof.requestedBy'), `${w.requestedBy.name} ${dateTime(w.createdAt)}`],
          ...(w.causedBy ? ([[t('wof.causedBy'), w.causedBy.name]] as [string, string][]) : []),
        ]}
      />
      <Section title={t('wof.approvals')}>
        <ul class="plain-list">
          {WriteOffApprover.options.map((role) => {
            const done = w.approvals.find((a) => a.role === role);
            return (
              <li key={role}>
                <strong>{t(`wof.approvers.${role}`)}</strong>:{' '}
                {done
                  ? `${t('wof.confirmedBy', { name: done.name })} ${dateTime(done.at)}`
                  : t('wof.waiting')}{' '}
                {!done && pending && can('write_off:approve') && held.has(role) && (
                  <button
                    type="button"
                    class="btn btn-small"
                    disabled={busy}
                    onClick={() => run((e) => approveWriteOff(api, w.id, role, e))}
                  >
                    {t('wof.confirmAs', { role: t(`wof.approvers.${role}`) })}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        {pending && can('write_off:post') && (
          <>
            <p class="hint">{t('wof.postHint')}</p>
            <button
              type="button"
              class="btn btn-primary"
              disabled={busy || w.approvals.length < WriteOffApprover.options.length}
              onClick={() => run((e) => postWriteOff(api, w.id, e))}
            >
              {t('wof.post')}
            </button>
          </>
        )}
      </Section>
      {w.charges && (
        <Section title={t('wof.split')}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('wof.split')}</th>
                <th scope="col" class="num">
                  {t('wof.share')}
                </th>
                <th scope="col" class="num">
                  {t('wof.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {w.charges.map((c) => (
                <tr key={c.party}>
                  <td>
                    {t(`wof.parties.${c.party}`)}
                    {c.name ? ` · ${c.name}` : ''}
                  </td>
                  <td class="num">{`${c.bp / 100}%`}</td>
                  <td class="num">{yuan(c.amountMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      {pending && can('write_off:request') && (
        <Section title={t('wof.cancel')}>
          <TextField label={t('wof.cancelReason')} value={reason} onValue={setReason} maxLength={300} />
          <button
            type="button"
            class="btn btn-danger"
            disabled={busy || !reason.trim()}
            onClick={() => run((e) => cancelWriteOff(api, w.id, reason.trim(), e))}
          >
            {t('wof.cancel')}
          </button>
        </Section>
      )}
    </div>
  );
}
