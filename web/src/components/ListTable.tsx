import type { ComponentChildren } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.tsx';
import { useLoad } from './load.ts';
import { ErrorNotice, Loading } from './ui.tsx';

/** One column of a `ListTable`: its heading and what a row shows in it. */
export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  /** Numbers are right-aligned, heading too. */
  num?: boolean;
}

/** A list as a screen shows it: its rows so far (null while the first page loads), or why it failed. */
export interface ListState<T> {
  rows: readonly T[] | null;
  error?: unknown;
  retry?: () => void;
  /** Reads the next page; absent when there is none. */
  more?: (() => void) | undefined;
}

/**
 * A list read a page at a time (one Query a page): the first page loads with the screen, `more` appends
 * the next, `refresh` starts again from the first (after a change). `load` must be memoised on what it
 * lists (useCallback), like `useLoad`'s.
 */
export function usePagedList<T>(
  load: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
): ListState<T> & { refresh: () => void } {
  const first = useLoad(useCallback(() => load(), [load]));
  const [pages, setPages] = useState<{ of: typeof load; items: T[]; next?: string | undefined }>();
  // Pages read for another list (another filter) are not this one's.
  const extra = pages?.of === load ? pages : undefined;
  const next = extra ? extra.next : first.data?.nextCursor;
  const refresh = () => {
    setPages(undefined);
    void first.reload();
  };
  return {
    rows: first.data ? [...first.data.items, ...(extra?.items ?? [])] : null,
    error: first.error,
    retry: refresh,
    refresh,
    more: next
      ? () =>
          void load(next).then((page) =>
            setPages({ of: load, items: [...(extra?.items ?? []), ...page.items], next: page.nextCursor }),
          )
      : undefined,
  };
}

/**
 * A list as a table with its loading, failure and empty states and its "load more" button: the one
 * markup of the screens' lists (staff, catalogue, readings, bookings).
 */
export function ListTable<T>({
  rows,
  error,
  retry,
  more,
  columns,
  rowKey,
  rowClass,
  empty,
  caption,
}: ListState<T> & {
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** A class for a row that needs the eye (below its minimum, overdue); say it in a cell too. */
  rowClass?: (row: T) => string | undefined;
  /** What an empty list says. */
  empty: string;
  /** Names the table for screen readers when the section's heading does not. */
  caption?: string;
}) {
  const { t } = useI18n();
  if (error) return <ErrorNotice error={error} {...(retry ? { onRetry: retry } : {})} />;
  if (!rows) return <Loading />;
  return (
    <>
      {rows.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            {caption && <caption class="visually-hidden">{caption}</caption>}
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.label} scope="col" class={c.num ? 'num' : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)} class={rowClass?.(row)}>
                  {columns.map((c) => (
                    <td key={c.label} class={c.num ? 'num' : undefined}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <button type="button" class="btn" onClick={more}>
          {t('action.loadMore')}
        </button>
      )}
    </>
  );
}
