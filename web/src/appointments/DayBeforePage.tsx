import type { Schemas } from '@aftersales/api-client';
import { addDays } from '@aftersales/domain';
import { useCallback } from 'preact/hooks';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { TextField } from '../components/forms.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Badge, Notice, PageHeader, Plate, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { type AppointmentView, getDayBefore } from './api.ts';
import { DayBeforeParts } from './PartStatuses.tsx';
import { partsText, StatusBadge, usePapersOf, useToday, useWhoOf, useWorkOf } from './shared.tsx';
import { TransitionButtons } from './Transitions.tsx';

/** A booking of the day with its parts' states (in stock, reserved, to order and when). */
type DayBeforeItem = Schemas['DayBeforeList']['items'][number];

/**
 * 明日预约: a day's bookings that still stand (tomorrow unless another day is chosen), whether each is
 * confirmed, the parts to pre-pick and the papers to remind of; the advisor confirms, reschedules or
 * marks a no-show from the list.
 */
export function DayBeforePage() {
  const { t, date: dateText } = useI18n();
  const { api, can, href } = useStore();
  const manage = can('appointment:manage');
  const { query } = useLocation();
  const tomorrow = addDays(useToday(), 1);
  const day = query.get('date') ?? tomorrow;
  const list = usePagedList<DayBeforeItem>(
    useCallback(
      async (cursor?: string) => {
        const page = await getDayBefore(api, { date: day, ...(cursor ? { cursor } : {}) });
        return { items: page.items, nextCursor: page.nextCursor };
      },
      [api, day],
    ),
  );
  const whoOf = useWhoOf();
  const workOf = useWorkOf();
  const papersOf = usePapersOf();

  return (
    <div class="page page-wide">
      <PageHeader title={t('dayBefore.title')} subtitle={dateText(day)} />
      {!manage && <Notice kind="info">{t('appt.readOnly')}</Notice>}
      <div class="grid-3">
        <TextField
          label={t('appt.goTo')}
          type="date"
          value={day}
          onValue={(d) => d && navigate(href(`appointments/tomorrow?date=${d}`), { replace: true })}
        />
      </div>
      <Section title={t('nav.dayBefore')}>
        <ListTable
          {...list}
          columns={[
            { label: t('appt.time'), cell: (a) => a.time },
            {
              label: t('appt.customer'),
              cell: (a) => (
                <>
                  <Link href={href(`appointments/${encodeURIComponent(a.id)}`)}>{whoOf(a)}</Link>
                  {a.urgent && <Badge kind="danger">{t('appt.urgent')}</Badge>}
                </>
              ),
            },
            { label: t('appt.vehicle'), cell: (a) => <Plate plate={a.plate ?? a.contact?.plate} /> },
            { label: t('appt.work'), cell: workOf },
            { label: t('appt.status'), cell: (a) => <StatusBadge status={a.status} /> },
            {
              label: t('appt.parts'),
              cell: (a) =>
                a.parts.length > 0 ? <DayBeforeParts booking={a} onDone={list.refresh} /> : partsText(a),
            },
            { label: t('appt.papers'), cell: (a) => papersOf(a) },
            ...(manage
              ? [
                  {
                    label: t('appt.actions'),
                    cell: (a: AppointmentView) => (
                      <>
                        <TransitionButtons
                          booking={a}
                          onDone={list.refresh}
                          only={['confirmed', 'no_show']}
                          named
                        />
                        <Link class="btn btn-small" href={href(`appointments/${encodeURIComponent(a.id)}`)}>
                          {t('dayBefore.rescheduleOf', { name: whoOf(a) })}
                        </Link>
                      </>
                    ),
                  },
                ]
              : []),
          ]}
          rowKey={(a) => a.id}
          empty={t('dayBefore.none')}
        />
      </Section>
    </div>
  );
}
