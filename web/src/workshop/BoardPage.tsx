import type { RepairOrderStatus } from '@aftersales/domain';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from '../app/router.tsx';
import { useSession, useStore } from '../app/session.tsx';
import { Checkbox } from '../components/forms.tsx';
import { Badge, ErrorNotice, Loading, Notice, Plate } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { BoardCard, BoardTechnician, WorkshopBoard } from './api.ts';
import { refreshSecondsFrom, useBoard } from './board.ts';
import { EscalatedBadge } from './Escalation.tsx';
import { hoursOfMinutes, hoursOfTenths, LineStatus, lineName, useStoreTime } from './shared.tsx';

/** The board's columns, left to right as a car moves through the store: reception to the cashier. */
const COLUMNS: readonly (readonly RepairOrderStatus[])[] = [
  ['checked_in', 'diagnosing'],
  ['quoted', 'approved'],
  ['in_progress'],
  ['quality_check'],
  ['ready', 'settled'],
];

/**
 * 控工看板: the wall screen of the workshop. Every open repair order as a card in its status's column,
 * late ones marked; every technician with what they are on. One request every 10 s (`?every=` changes
 * it), none while the tab is hidden. An advisor may narrow it to their own orders.
 */
export function BoardPage() {
  const { t, m, locale } = useI18n();
  const { can, profile } = useStore();
  const { me } = useSession();
  const { query } = useLocation();
  const every = refreshSecondsFrom(query);
  const live = useBoard(every);
  const [mine, setMine] = useState(false);
  const wall = useRef<HTMLDivElement>(null);
  const full = useFullScreen();

  const board = live.board;
  const cards = (board?.cards ?? []).filter((c) => !mine || c.advisorId === me.user.id);
  const updated =
    live.updatedAt === undefined
      ? ''
      : new Intl.DateTimeFormat(locale, {
          timeStyle: 'medium',
          timeZone: profile?.store.timeZone,
        }).format(live.updatedAt);

  return (
    <div class="page page-wide">
      <div class="ws-board" ref={wall}>
        <header class="ws-board-head">
          <h1>{t('ws.boardTitle')}</h1>
          <p class="ws-updated" aria-live="off">
            {live.paused ? t('ws.paused') : t('ws.refreshing', { seconds: every })}
            {updated && ` · ${t('ws.lastUpdated', { time: updated })}`}
          </p>
          <div class="actions">
            {can('repair_order:write') && <Checkbox label={t('ws.mine')} checked={mine} onValue={setMine} />}
            <button type="button" class="btn" onClick={() => full.toggle(wall.current)}>
              {full.on ? t('ws.exitFullScreen') : t('ws.fullScreen')}
            </button>
          </div>
        </header>
        {live.error !== null && <ErrorNotice error={live.error} onRetry={() => void live.reload()} />}
        {board?.truncated && <Notice kind="warning">{t('ws.truncated')}</Notice>}
        {!board && live.error === null && <Loading />}
        {board && (
          <>
            <div class="ws-columns">
              {COLUMNS.map((statuses) => {
                const inColumn = cards.filter((c) => statuses.includes(c.status));
                const title = statuses.map((s) => m.roStatuses[s]).join(' · ');
                return (
                  <section key={title} class="ws-column" aria-label={title}>
                    <h2>
                      {title} <span class="ws-count">{inColumn.length}</span>
                    </h2>
                    {inColumn.length === 0 && <p class="ws-none">{t('ws.noCards')}</p>}
                    {inColumn.map((c) => (
                      <Card key={c.repairOrderId} card={c} board={board} />
                    ))}
                  </section>
                );
              })}
            </div>
            <Technicians board={board} />
          </>
        )}
      </div>
    </div>
  );
}

function Card({ card, board }: { card: BoardCard; board: WorkshopBoard }) {
  const { t, m } = useI18n();
  const timeOf = useStoreTime();
  const names = new Map(board.technicians.map((x) => [x.technicianId, x.name]));
  const late = card.lateMinutes > 0;
  return (
    <article class={late ? 'ws-card ws-late' : 'ws-card'} aria-label={card.plate ?? card.repairOrderId}>
      <div class="ws-card-head">
        <Plate plate={card.plate} />
        <span class="ws-customer">{card.customerName ?? t('ws.customerUnknown')}</span>
      </div>
      {card.advisorName && <p class="ws-advisor">{t('ws.advisor', { name: card.advisorName })}</p>}
      <p class="ws-promised">
        {t('ws.promised', { time: timeOf(card.promisedAt) })}
        {late && <span class="ws-late-tag">{t('ws.late', { minutes: card.lateMinutes })}</span>}
      </p>
      {/* A column of two statuses says which of them the card is in. */}
      {(COLUMNS.find((c) => c.includes(card.status))?.length ?? 0) > 1 && (
        <Badge>{m.roStatuses[card.status]}</Badge>
      )}
      <ul class="ws-lines">
        {card.lines.map((l) => (
          <li key={l.lineId} class="ws-line">
            <span class="ws-line-name">{lineName(l)}</span>
            <span class="ws-line-facts">
              <LineStatus line={l} />
              {l.escalatedAt && <EscalatedBadge />}
              <span>
                {l.technicianId ? (names.get(l.technicianId) ?? l.technicianId) : t('ws.unassigned')}
              </span>
              <span class={l.clockedMinutes > l.flatRateTenths * 6 ? 'ws-over' : ''}>
                {t('ws.clocked', {
                  clocked: hoursOfMinutes(l.clockedMinutes),
                  flat: hoursOfTenths(l.flatRateTenths),
                })}
              </span>
              {l.clockedOnSince && (
                <span class="ws-on">
                  <span class="ws-dot" aria-hidden="true" />
                  {t('ws.clockedOn')}
                </span>
              )}
            </span>
          </li>
        ))}
      </ul>
    </article>
  );
}

function Technicians({ board }: { board: WorkshopBoard }) {
  const { t } = useI18n();
  const plates = new Map(board.cards.map((c) => [c.repairOrderId, c]));
  const doing = (x: BoardTechnician) =>
    x.on.map((o) => {
      const card = plates.get(o.repairOrderId);
      const line = card?.lines.find((l) => l.lineId === o.lineId);
      return t('ws.onLine', {
        plate: card?.plate ?? o.repairOrderId,
        line: line ? lineName(line) : o.lineId,
      });
    });
  return (
    <section class="ws-technicians" aria-labelledby="ws-technicians">
      <h2 id="ws-technicians">{t('ws.technicians')}</h2>
      <ul>
        {board.technicians.map((x) => (
          <li key={x.technicianId} class={x.on.length > 0 ? 'ws-tech ws-tech-busy' : 'ws-tech'}>
            <strong>{x.name}</strong>
            <span>{x.on.length > 0 ? doing(x).join('；') : t('ws.free')}</span>
            <span class="ws-queued">{t('ws.queued', { count: x.queued })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The wall screen's full-screen switch (the Fullscreen API), and whether it is on. */
function useFullScreen() {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const changed = () => setOn(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', changed);
    return () => document.removeEventListener('fullscreenchange', changed);
  }, []);
  return {
    on,
    toggle: (el: HTMLElement | null) => {
      if (document.fullscreenElement) void document.exitFullscreen();
      else void el?.requestFullscreen().catch(() => undefined);
    },
  };
}
