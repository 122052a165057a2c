import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { type BoardCard, type BoardLine, getWorkshopBoard, type WorkshopBoard } from './api.ts';

/** How often the floor's screens read the board: a wall screen is glanced at, not watched. */
export const REFRESH_SECONDS = 10;

export interface LiveBoard {
  board: WorkshopBoard | null;
  /** The last refresh's failure; the last good board stays on screen meanwhile. */
  error: unknown;
  /** When the board on screen was read (this browser's clock). */
  updatedAt: number | undefined;
  /** The tab is hidden: nobody looks, so nothing is read. */
  paused: boolean;
  /** Read now (after the user changed something). */
  reload: () => Promise<void>;
}

function tabHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}

/**
 * The board, read once every `everySeconds` with exactly one request (GET workshop-board) and the next
 * one scheduled only when the last has answered, so a slow network never stacks requests. Reading stops
 * while the tab is hidden and resumes, at once, when it is shown again.
 */
export function useBoard(everySeconds = REFRESH_SECONDS): LiveBoard {
  const { api } = useStore();
  const [state, setState] = useState<Pick<LiveBoard, 'board' | 'error' | 'updatedAt'>>({
    board: null,
    error: null,
    updatedAt: undefined,
  });
  const [paused, setPaused] = useState(tabHidden);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const board = await getWorkshopBoard(api);
      if (mine === latest.current) setState({ board, error: null, updatedAt: Date.now() });
    } catch (error) {
      if (mine === latest.current) setState((s) => ({ ...s, error }));
    }
  }, [api]);

  useEffect(() => {
    const seen = () => setPaused(tabHidden());
    document.addEventListener('visibilitychange', seen);
    return () => document.removeEventListener('visibilitychange', seen);
  }, []);

  useEffect(() => {
    if (paused) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await reload();
      if (live) timer = setTimeout(tick, everySeconds * 1000);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
      // An answer arriving after the screen went away (or the tab was hidden) is dropped.
      latest.current++;
    };
  }, [paused, everySeconds, reload]);

  return { ...state, paused, reload };
}

/** The refresh interval a wall screen asks for in its address (`?every=30`), within sane bounds. */
export function refreshSecondsFrom(query: URLSearchParams): number {
  const asked = Number(query.get('every'));
  return Number.isFinite(asked) && asked >= 1 ? Math.min(asked, 600) : REFRESH_SECONDS;
}

/** This browser's clock, ticking every `ms` (a running clocking on screen). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A line with the card it belongs to: what the technician and dispatch screens list. */
export interface CardLine {
  card: BoardCard;
  line: BoardLine;
}

/** Every line on the board that `keep` selects, card order first. */
export function linesWhere(board: WorkshopBoard | null, keep: (l: BoardLine) => boolean): CardLine[] {
  return (board?.cards ?? []).flatMap((card) => card.lines.filter(keep).map((line) => ({ card, line })));
}
