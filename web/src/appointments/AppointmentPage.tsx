import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { ConflictNotice, isVersionConflict, useVersionedRecord } from '../components/conflict.tsx';
import { TextField } from '../components/forms.tsx';
import { HistoryList } from '../components/HistoryList.tsx';
import { Badge, ErrorNotice, Facts, Loading, Notice, PageHeader, Plate, Section } from '../components/ui.tsx';
import { customerName } from '../customers/api.ts';
import { useI18n } from '../i18n/index.tsx';
import { appointmentHistory, getAppointment, linkAppointment } from './api.ts';
import { BookingParts } from './PartStatuses.tsx';
import { type Party, PartyPicker } from './PartyPicker.tsx';
import { useReschedule } from './reschedule.tsx';
import { hoursText, isOpen, partsText, StatusBadge, usePapersOf, useWhoOf, useWorkOf } from './shared.tsx';
import { TransitionButtons } from './Transitions.tsx';

/** A booking: what is booked, its status moves, its reschedule, a public request's link, its history. */
export function AppointmentPage({ appointmentId }: { appointmentId: string }) {
  const { t, m, date, number } = useI18n();
  const { api, can, canOpen, href } = useStore();
  const manage = can('appointment:manage');
  const record = useVersionedRecord(
    useCallback(() => getAppointment(api, appointmentId), [api, appointmentId]),
  );
  const reload = () => void record.reload();
  const { move, busy, notice } = useReschedule(record.reload);
  const [slot, setSlot] = useState<{ date: string; time: string } | null>(null);
  const [party, setParty] = useState<Party | null>(null);
  const [linkFailure, setLinkFailure] = useState<unknown>(null);
  const [linked, setLinked] = useState(false);
  const whoOf = useWhoOf();
  const workOf = useWorkOf();
  const papersOf = usePapersOf();
  const nameOf = useCallback((id: string) => customerName(api, id), [api]);
  const loadHistory = useCallback(
    (cursor?: string) => appointmentHistory(api, appointmentId, cursor),
    [api, appointmentId],
  );

  if (record.error) return <ErrorNotice error={record.error} onRetry={reload} />;
  if (!record.data) return <Loading />;
  const a = record.data.data;
  const money = (minor: number) => `¥${number(minor / 100)}`;
  const total = Object.values(a.load).reduce((sum, tenths) => sum + (tenths ?? 0), 0);
  const target = slot ?? { date: a.date, time: a.time };
  const unlinked = !a.customerId && a.status === 'requested';

  const link = async () => {
    if (!party) return;
    setLinkFailure(null);
    setLinked(false);
    try {
      await record.change((etag) =>
        linkAppointment(api, a.id, { customerId: party.customerId, vehicleId: party.vehicleId }, etag),
      );
      setLinked(true);
      setParty(null);
    } catch (err) {
      if (!isVersionConflict(err)) setLinkFailure(err);
    }
  };

  return (
    <div class="page">
      <PageHeader
        back={{ href: href(`appointments?date=${a.date}`), label: t('appt.back') }}
        title={
          <>
            {whoOf(a)} <StatusBadge status={a.status} />
            {a.urgent && <Badge kind="danger">{t('appt.urgent')}</Badge>}
          </>
        }
        subtitle={`${t('appt.detailTitle')} · ${date(a.date)} ${a.time}`}
      />
      {record.stale && <ConflictNotice text={t('appt.reloaded')} onReload={reload} />}
      {unlinked && <Notice kind="info">{t('appt.request')}</Notice>}
      {/* Outside the link section, which closes once the request is linked. */}
      {linked && <Notice kind="success">{t('appt.linked')}</Notice>}
      <Section title={t('appt.work')}>
        <Facts
          items={[
            [
              t('appt.customer'),
              a.customerId ? (
                <Link href={href(`customers/${a.customerId}`)}>{a.customerName}</Link>
              ) : undefined,
            ],
            [
              t('appt.vehicle'),
              a.vehicleId ? (
                <Link href={href(`vehicles/${a.vehicleId}`)}>
                  <Plate plate={a.plate} />
                </Link>
              ) : undefined,
            ],
            [t('appt.date'), `${date(a.date)} ${a.time}`],
            [t('appt.channel'), m.appointmentChannels[a.channel]],
            [t('appt.work'), workOf(a)],
            [t('appt.hours'), hoursText(total)],
            [
              t('appt.estimate'),
              t('appt.estimateOf', {
                total: money(a.estimate.total.amountMinor),
                tax: money(a.estimate.tax.amountMinor),
              }),
            ],
            [t('appt.papers'), papersOf(a)],
            [t('appt.parts'), partsText(a)],
            [t('appt.note'), a.note],
            [
              t('appt.urgent'),
              a.urgent
                ? `${m.urgentFaults[a.urgent.fault]}: ${a.urgent.reason}${a.overbooked ? ` (${t('appt.overbookedFlag')})` : ''}`
                : undefined,
            ],
            [t('appt.reason'), a.reason],
            ...(a.contact
              ? ([[t('appt.contact'), `${a.contact.name} · ${a.contact.phone} · ${a.contact.plate}`]] as [
                  string,
                  string,
                ][])
              : []),
          ]}
        />
      </Section>
      {a.parts.length > 0 && <BookingParts appointmentId={a.id} open={isOpen(a.status)} />}
      {a.customerId && isOpen(a.status) && canOpen('repair-orders/new') && (
        <div class="form-actions">
          <Link
            class="btn btn-primary"
            href={href(`repair-orders/new?appointmentId=${encodeURIComponent(a.id)}`)}
          >
            {t('ro.checkInBooking')}
          </Link>
        </div>
      )}
      {manage && (
        <Section title={t('appt.actions')}>
          <TransitionButtons booking={a} onDone={reload} />
        </Section>
      )}
      {manage && isOpen(a.status) && (
        <Section title={t('appt.reschedule')}>
          <div aria-live="polite">{notice}</div>
          <form
            class="form"
            onSubmit={(e) => {
              e.preventDefault();
              void move(a, target.date, target.time).then((ok) => ok && setSlot(null));
            }}
          >
            <div class="grid-3">
              <TextField
                label={t('appt.date')}
                type="date"
                value={target.date}
                onValue={(d) => setSlot({ ...target, date: d })}
              />
              <TextField
                label={t('appt.time')}
                type="time"
                value={target.time}
                onValue={(time) => setSlot({ ...target, time })}
              />
              <button type="submit" class="btn align-end" disabled={busy}>
                {t('appt.reschedule')}
              </button>
            </div>
          </form>
        </Section>
      )}
      {manage && unlinked && (
        <Section title={t('appt.linkTitle')}>
          <p class="hint">{t('appt.linkHint')}</p>
          {linkFailure !== null && <ErrorNotice error={linkFailure} />}
          <PartyPicker value={party} onChange={setParty} field="customerId" />
          <button type="button" class="btn btn-primary" disabled={!party} onClick={() => void link()}>
            {t('appt.link')}
          </button>
        </Section>
      )}
      <Section title={t('appt.history')}>
        <HistoryList load={loadHistory} nameOf={nameOf} />
      </Section>
    </div>
  );
}
