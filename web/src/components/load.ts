import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * What a screen shows while it loads its data, in one place: the data or the error, an answer that
 * arrives after the screen moved on (another record, a newer reload) is dropped, and `reload` refreshes
 * in place (after a change, or after a version conflict) without blanking the screen.
 */
export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => Promise<void>;
}

/** `load` must be memoised (useCallback) on what it loads: a new `load` is a new record. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown }>({ data: null, error: null });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    setState((s) => ({ data: s.data, error: null }));
    try {
      const data = await load();
      if (mine === latest.current) setState({ data, error: null });
    } catch (error) {
      if (mine === latest.current) setState({ data: null, error });
    }
  }, [load]);
  useEffect(() => {
    setState({ data: null, error: null });
    void reload();
    // A screen that goes away must not take a late answer: bump the counter.
    return () => {
      latest.current++;
    };
  }, [reload]);
  return { ...state, reload };
}
