import type { Schemas } from '@aftersales/api-client';
import { useCallback, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { SelectField } from '../components/forms.tsx';
import { useLoad } from '../components/load.ts';
import { Badge, ErrorNotice, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { listMessages, type MessageStatus } from './api.ts';

type Message = Schemas['Message'];

const STATUSES: readonly MessageStatus[] = ['queued', 'sent', 'failed', 'suppressed'];
const BADGE = { queued: 'info', sent: 'success', failed: 'danger', suppressed: 'warning' } as const;

/**
 * 消息记录: the store's messages to customers, newest first (one Query a page), with their status.
 * Where the local outbox sender is in use, the page says so: nothing here reached a phone.
 */
export function MessagesPage() {
  const { t, m, dateTime } = useI18n();
  const { api } = useStore();
  const [status, setStatus] = useState<MessageStatus | ''>('');
  const [pages, setPages] = useState<Message[][]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const query = status ? { limit: 50, status } : { limit: 50 };
  const loaded = useLoad(useCallback(() => listMessages(api, query), [api, status]));

  const first = loaded.data;
  const local = first?.sender === 'local-outbox';
  const next = cursor ?? first?.nextCursor;
  const items = [...(first?.items ?? []), ...pages.flat()];
  const more = async () => {
    if (!next) return;
    const page = await listMessages(api, { ...query, cursor: next });
    setPages((p) => [...p, page.items]);
    setCursor(page.nextCursor ?? '');
  };
  const filter = (value: MessageStatus | '') => {
    setStatus(value);
    setPages([]);
    setCursor(undefined);
  };

  return (
    <div class="page">
      <PageHeader title={local ? t('outbox.localTitle') : t('outbox.title')} />
      {local && <Notice kind="info">{t('outbox.localNote')}</Notice>}
      <Section title={t('nav.messages')}>
        <SelectField<MessageStatus | ''>
          label={t('outbox.filter')}
          value={status}
          options={[
            { value: '', label: t('outbox.all') },
            ...STATUSES.map((s) => ({ value: s, label: m.messageStatuses[s] })),
          ]}
          onValue={filter}
        />
        {loaded.error ? (
          <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />
        ) : !first ? (
          <Loading />
        ) : items.length === 0 ? (
          <p class="muted">{t('outbox.none')}</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('outbox.time')}</th>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.template')}</th>
                <th scope="col">{t('outbox.text')}</th>
                <th scope="col">{t('outbox.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((msg) => (
                <tr key={msg.id}>
                  <td>
                    <time dateTime={msg.createdAt}>{dateTime(msg.createdAt)}</time>
                  </td>
                  <td>{msg.to}</td>
                  <td>{m.messageTemplates[msg.template]}</td>
                  <td lang={msg.locale}>{msg.text}</td>
                  <td>
                    <Badge kind={BADGE[msg.status]}>{m.messageStatuses[msg.status]}</Badge>
                    {msg.reason && <span class="muted"> · {m.messageReasons[msg.reason]}</span>}
                    {msg.status === 'queued' && msg.deferredUntil && (
                      <span class="muted">
                        {' '}
                        · {t('outbox.deferred', { time: dateTime(msg.deferredUntil) })}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {next && (
          <button type="button" class="btn" onClick={() => void more()}>
            {t('action.loadMore')}
          </button>
        )}
      </Section>
    </div>
  );
}
