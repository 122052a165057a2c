import { addDays, openingOn, weekdayOf } from '@aftersales/domain';
import { useCallback, useEffect, useId, useMemo, useState } from 'preact/hooks';
import { Link, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { Badge, ErrorNotice, Loading, Notice, PageHeader, Plate, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getStoreSetup } from '../setup/api.ts';
import { type AppointmentView, getCalendar } from './api.ts';
import { CapacityBars } from './CapacityBars.tsx';
import { useReschedule } from './reschedule.tsx';
import { isOpen, StatusBadge, useToday, useWhoOf, useWorkOf } from './shared.tsx';

type View = 'day' | 'week';

/** The Monday of a date's week: the week view starts there, whatever day was asked for. */
function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const clock = (mins: number) =>
  `${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;

/** The hours the grid has rows for: from the earliest opening to the latest closing of the days shown. */
function hourRows(hours: ({ open: string; close: string } | undefined)[]): string[] {
  const open = hours.filter((h) => h !== undefined);
  const from = open.length ? Math.min(...open.map((h) => minutes(h.open))) : 8 * 60;
  const to = open.length ? Math.max(...open.map((h) => minutes(h.close))) : 18 * 60;
  const rows: string[] = [];
  for (let m = from; m < to; m += 60) rows.push(clock(m));
  return rows;
}

/** The row a booking's time falls in: the last row that starts at or before it. */
const rowOf = (rows: string[], time: string) => {
  const i = rows.findLastIndex((r) => r <= time);
  return i === -1 ? 0 : i;
};

/** A booking being moved with the keyboard: its target slot, chosen with the arrow keys. */
interface Moving {
  booking: AppointmentView;
  date: string;
  row: number;
}

/**
 * 预约看板: the advisor's day or week. Each day's room per bay type as bars, the bookings by hour;
 * a booking moves to another hour or day by dragging it, or by its "Move…" button and the arrow keys.
 */
export function CalendarPage() {
  const { t, m, date: dateText } = useI18n();
  const { api, can, canOpen, href } = useStore();
  const manage = can('appointment:manage');
  const { query } = useLocation();
  const today = useToday();
  const view: View = query.get('view') === 'week' ? 'week' : 'day';
  const asked = query.get('date') ?? today;
  const from = view === 'week' ? mondayOf(asked) : asked;
  const count = view === 'week' ? 7 : 1;
  const dates = useMemo(() => Array.from({ length: count }, (_, i) => addDays(from, i)), [from, count]);

  const setup = useLoad(useCallback(() => getStoreSetup(api), [api]));
  const calendar = useLoad(useCallback(() => getCalendar(api, { from, days: count }), [api, from, count]));
  const [more, setMore] = useState<{ of: unknown; items: AppointmentView[]; next?: string | undefined }>();
  const reload = () => {
    setMore(undefined);
    return calendar.reload();
  };
  const { move, notice } = useReschedule(reload);
  const [moving, setMoving] = useState<Moving | null>(null);
  const [dragged, setDragged] = useState<AppointmentView | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const helpId = useId();
  const whoOf = useWhoOf();
  const workOf = useWorkOf();

  // After a move the card is drawn in its new cell: the keyboard user's focus follows it there.
  useEffect(() => {
    if (!focusId) return;
    const button = document.querySelector<HTMLElement>(`[data-move="${CSS.escape(focusId)}"]`);
    if (button) {
      button.focus();
      setFocusId(null);
    }
  });

  const nav = (date: string, v: View = view) =>
    href(`appointments?date=${date}${v === 'week' ? '&view=week' : ''}`);
  const step = view === 'week' ? 7 : 1;
  const data = calendar.data;
  const extra = more?.of === data ? more : undefined;
  const bookings = data ? [...data.appointments, ...(extra?.items ?? [])] : [];
  const next = extra ? extra.next : data?.nextCursor;
  const loadMore = async () => {
    if (!next || !data) return;
    const page = await getCalendar(api, { from, days: count, cursor: next });
    setMore({ of: data, items: [...(extra?.items ?? []), ...page.appointments], next: page.nextCursor });
  };

  const hours = setup.data ? dates.map((d) => openingOn(setup.data!.data, d)) : [];
  const rows = hourRows(hours);

  const drop = async (booking: AppointmentView, date: string, time: string) => {
    if (booking.date === date && rowOf(rows, booking.time) === rows.indexOf(time)) return;
    if (await move(booking, date, time)) setFocusId(booking.id);
  };

  const keyMove = (e: KeyboardEvent, booking: AppointmentView) => {
    if (!moving || moving.booking.id !== booking.id) return;
    const go = (patch: Partial<Moving>) => {
      e.preventDefault();
      setMoving({ ...moving, ...patch });
    };
    if (e.key === 'ArrowUp') go({ row: Math.max(0, moving.row - 1) });
    else if (e.key === 'ArrowDown') go({ row: Math.min(rows.length - 1, moving.row + 1) });
    else if (e.key === 'ArrowLeft') go({ date: addDays(moving.date, -1) });
    else if (e.key === 'ArrowRight') go({ date: addDays(moving.date, 1) });
    else if (e.key === 'Escape') {
      e.preventDefault();
      setMoving(null);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      setMoving(null);
      void drop(booking, moving.date, rows[moving.row]!);
    }
  };

  const card = (b: AppointmentView) => {
    const movable = manage && isOpen(b.status);
    const isMoving = moving?.booking.id === b.id;
    const target = isMoving ? { date: dateText(moving.date), time: rows[moving.row] ?? '' } : undefined;
    return (
      <li
        key={b.id}
        class={`booking booking-${b.status}${isMoving ? ' booking-moving' : ''}`}
        draggable={movable}
        onDragStart={
          movable
            ? (e) => {
                e.dataTransfer?.setData('text/plain', b.id);
                setDragged(b);
              }
            : undefined
        }
        onDragEnd={() => setDragged(null)}
      >
        <div class="booking-head">
          <span class="booking-time">{b.time}</span>
          <Link href={href(`appointments/${encodeURIComponent(b.id)}`)} class="booking-who">
            {whoOf(b)}
          </Link>
          {b.urgent && <Badge kind="danger">{t('appt.urgent')}</Badge>}
        </div>
        <div class="booking-meta">
          {(b.plate ?? b.contact?.plate) && <Plate plate={b.plate ?? b.contact?.plate} />}
          <StatusBadge status={b.status} />
        </div>
        <div class="booking-work">{workOf(b)}</div>
        {movable && (
          <div class="booking-actions">
            <button
              type="button"
              class="btn btn-small"
              data-move={b.id}
              aria-label={isMoving ? t('appt.moveTarget', target!) : t('appt.moveLabel', { name: whoOf(b) })}
              aria-describedby={helpId}
              onClick={() =>
                isMoving ? setMoving(null) : setMoving({ booking: b, date: b.date, row: rowOf(rows, b.time) })
              }
              onKeyDown={(e) => keyMove(e, b)}
            >
              {isMoving ? t('appt.moveTarget', target!) : t('appt.move')}
            </button>
            {isMoving && (
              <button
                type="button"
                class="btn btn-small btn-primary"
                onClick={() => {
                  setMoving(null);
                  void drop(b, moving.date, rows[moving.row]!);
                }}
              >
                {t('appt.moveConfirm')}
              </button>
            )}
          </div>
        )}
      </li>
    );
  };

  const cell = (date: string, time: string, i: number) => {
    const here = bookings.filter((b) => b.date === date && rowOf(rows, b.time) === i);
    const targeted = moving && moving.date === date && moving.row === i;
    return (
      <td
        key={date}
        class={`slot${targeted ? ' slot-target' : ''}${dragged ? ' slot-droppable' : ''}`}
        onDragOver={dragged ? (e) => e.preventDefault() : undefined}
        onDrop={
          dragged
            ? (e) => {
                e.preventDefault();
                const b = dragged;
                setDragged(null);
                void drop(b, date, time);
              }
            : undefined
        }
      >
        {here.length > 0 && <ul class="bookings">{here.map(card)}</ul>}
      </td>
    );
  };

  const viewLink = (v: View, label: string) => (
    <Link
      href={nav(asked, v)}
      class={`btn btn-small${view === v ? ' btn-primary' : ''}`}
      aria-current={view === v ? 'page' : undefined}
    >
      {label}
    </Link>
  );

  return (
    <div class="page page-wide">
      <PageHeader
        title={t('appt.title')}
        actions={
          canOpen('appointments/new') && (
            <Link class="btn btn-primary" href={href(`appointments/new?date=${asked}`)}>
              {t('appt.new')}
            </Link>
          )
        }
      />
      {!manage && <Notice kind="info">{t('appt.readOnly')}</Notice>}
      <nav class="calendar-nav" aria-label={t('appt.view')}>
        <div class="actions">
          {viewLink('day', t('appt.dayView'))}
          {viewLink('week', t('appt.weekView'))}
        </div>
        <div class="actions">
          <Link class="btn btn-small" href={nav(addDays(from, -step))}>
            {view === 'week' ? t('appt.earlierWeek') : t('appt.earlierDay')}
          </Link>
          <Link class="btn btn-small" href={nav(today)}>
            {t('appt.today')}
          </Link>
          <Link class="btn btn-small" href={nav(addDays(from, step))}>
            {view === 'week' ? t('appt.laterWeek') : t('appt.laterDay')}
          </Link>
        </div>
      </nav>
      {manage && (
        <p class="hint" id={helpId}>
          {t('appt.dragHint')} {t('appt.moveHelp')}
        </p>
      )}
      <div aria-live="polite">{notice}</div>
      {moving && (
        <p class="visually-hidden" aria-live="assertive">
          {t('appt.moveTarget', { date: dateText(moving.date), time: rows[moving.row] ?? '' })}
        </p>
      )}
      {calendar.error || setup.error ? (
        <ErrorNotice error={calendar.error ?? setup.error} onRetry={() => void reload()} />
      ) : !data || !setup.data ? (
        <Loading />
      ) : (
        <>
          <Section title={t('appt.capacity')}>
            <div class={`cap-days cap-days-${view}`}>
              {data.days.map((d) => (
                <div key={d.date} class="cap-day">
                  <h3>
                    {m.weekdays[weekdayOf(d.date)]} {dateText(d.date)}
                  </h3>
                  <CapacityBars day={d} />
                </div>
              ))}
            </div>
          </Section>
          <div class="table-wrap">
            <table class={`table calendar calendar-${view}`}>
              <caption class="visually-hidden">{t('nav.appointments')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('appt.time')}</th>
                  {dates.map((d) => (
                    <th key={d} scope="col">
                      {view === 'week' ? (
                        <Link href={nav(d, 'day')}>
                          {m.weekdays[weekdayOf(d)]} {dateText(d)}
                        </Link>
                      ) : (
                        `${m.weekdays[weekdayOf(d)]} ${dateText(d)}`
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((time, i) => (
                  <tr key={time}>
                    <th scope="row">{time}</th>
                    {dates.map((d) => cell(d, time, i))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {bookings.length === 0 && <p class="muted">{t('appt.noBookings')}</p>}
          {next && (
            <button type="button" class="btn" onClick={() => void loadMore()}>
              {t('appt.moreBookings')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
