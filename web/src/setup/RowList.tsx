import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * An editable list of rows (holidays, intervals, papers, checklist sections and items, model hours):
 * each row has its remove button, the list an add button. Adding moves focus into the new row's first
 * control, so a keyboard user types on where they pressed Enter; removing leaves focus on the list.
 */
export function RowList<T>({
  rows,
  onRows,
  blank,
  render,
  addLabel,
  removeLabel,
  empty,
}: {
  rows: readonly T[];
  onRows: (rows: T[]) => void;
  /** The row the add button appends. */
  blank: () => T;
  /** A row's controls; `set` changes some of its fields. */
  render: (row: T, i: number, set: (patch: Partial<T>) => void) => ComponentChildren;
  addLabel: string;
  /** Names the row, so each remove button says which one it removes (screen readers list them). */
  removeLabel: (i: number) => string;
  empty?: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  const added = useRef(false);
  useEffect(() => {
    if (!added.current) return;
    added.current = false;
    const rows = list.current?.querySelectorAll(':scope > .list-row');
    rows?.[rows.length - 1]?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [rows.length]);
  const set = (i: number) => (patch: Partial<T>) =>
    onRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div ref={list} class="row-list">
      {rows.length === 0 && empty && <p class="muted">{empty}</p>}
      {rows.map((row, i) => (
        // Rows have no identity of their own until saved: the position is their key.
        <div class="phone-row list-row" key={i}>
          {render(row, i, set(i))}
          <button
            type="button"
            class="btn btn-quiet align-end"
            onClick={() => onRows(rows.filter((_, j) => j !== i))}
          >
            {removeLabel(i)}
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          class="btn"
          onClick={() => {
            added.current = true;
            onRows([...rows, blank()]);
          }}
        >
          {addLabel}
        </button>
      </div>
    </div>
  );
}
