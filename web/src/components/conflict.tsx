import { useState } from 'preact/hooks';
import { ApiError, type Versioned } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { type Loaded, useLoad } from './load.ts';
import { Notice } from './ui.tsx';

/**
 * Version conflicts, handled once: every change is sent with the If-Match of the version the user saw,
 * and an API answer of 409 VERSION_CONFLICT means someone else changed the record since. The user is
 * told, and reloads: an edit form offers to keep the unsaved input on top of the new version or to
 * discard it (`useEditing`), a page of actions reloads in place (`useVersionedRecord`).
 */
export function isVersionConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'VERSION_CONFLICT';
}

/** What an edit form offers after a conflict (`useEditing` gives it, `ValidatedForm` shows it). */
export interface EditConflict {
  /** The feature's words for it: "someone else changed this customer…". */
  text: string;
  keepMine: () => void;
  discardMine: () => void;
  /** The form holds the user's input on top of a newer version than it was started from. */
  kept: boolean;
}

export function ConflictNotice({
  text,
  onReload,
  choices,
}: {
  text: string;
  /** Reload, where nothing unsaved is on the screen. */
  onReload?: () => void;
  /** Reload keeping or discarding the user's unsaved input. */
  choices?: Pick<EditConflict, 'keepMine' | 'discardMine'>;
}) {
  const { t } = useI18n();
  return (
    <Notice kind="warning">
      <span>{text}</span>
      {onReload && (
        <button type="button" class="btn btn-small" onClick={onReload}>
          {t('conflict.reload')}
        </button>
      )}
      {choices && (
        <>
          <button type="button" class="btn btn-small" onClick={choices.keepMine}>
            {t('conflict.keepMine')}
          </button>
          <button type="button" class="btn btn-small btn-quiet" onClick={choices.discardMine}>
            {t('conflict.discardMine')}
          </button>
        </>
      )}
    </Notice>
  );
}

export interface VersionedRecord<T> extends Loaded<Versioned<T>> {
  /** A change was refused as made on an older version: the page says so until it reloads. */
  stale: boolean;
  /**
   * Runs a change at the loaded version (its ETag as If-Match), then reloads; a version conflict marks
   * the record stale, and like any other failure is thrown on for the caller's own handling.
   */
  change: (fn: (etag: string) => Promise<unknown>) => Promise<void>;
}

/** A record shown with actions that change it (a vehicle's transfer, drivers, odometer). */
export function useVersionedRecord<T>(load: () => Promise<Versioned<T>>): VersionedRecord<T> {
  const loaded = useLoad(load);
  const [stale, setStale] = useState(false);
  const reload = async () => {
    setStale(false);
    await loaded.reload();
  };
  const change = async (fn: (etag: string) => Promise<unknown>) => {
    if (!loaded.data) return;
    try {
      await fn(loaded.data.etag);
    } catch (err) {
      if (isVersionConflict(err)) setStale(true);
      throw err;
    }
    await reload();
  };
  return { ...loaded, reload, stale, change };
}
