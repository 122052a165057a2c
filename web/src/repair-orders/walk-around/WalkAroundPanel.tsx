import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client.ts';
import { StoreClient } from '../../api/store.ts';
import { useStore } from '../../app/session.tsx';
import { isVersionConflict } from '../../components/conflict.tsx';
import { useLoad } from '../../components/load.ts';
import { Badge, ErrorNotice, Loading, Notice, Section, useErrorText } from '../../components/ui.tsx';
import { interpolate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.tsx';
import {
  type ChecklistAnswer,
  type ChecklistTemplate,
  getPhoto,
  getWalkAround,
  listChecklistTemplates,
  type PhotoContentType,
  type PhotoView,
  recordWalkAround,
  type SealedPhoto,
  sealPhoto,
  uploadPhoto,
  type WalkAround,
} from './api.ts';
import { type WalkAroundMessages, walkAroundMessages } from './messages.ts';
import { type QueuedPhoto, UploadQueue } from './upload-queue.ts';

/** What the RO detail page gives the panel: the order it inspects. */
export interface WalkAroundPanelProps {
  storeId: string;
  repairOrderId: string;
}

const PHOTO_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];
/** The panel brings its one layout rule with it, so the page that mounts it needs no stylesheet change. */
const PHOTO_GRID = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
  gap: '1rem',
  listStyle: 'none',
  padding: 0,
};
type Sections = ChecklistTemplate['sections'];
type ItemRef = { section: number; item: number };
const refKey = (r: ItemRef) => `${r.section}.${r.item}`;

function useText() {
  const { locale } = useI18n();
  const messages = walkAroundMessages[locale];
  return (key: keyof WalkAroundMessages, vars?: Record<string, string | number>) =>
    interpolate(messages[key], vars);
}

/**
 * 环车检查 of one repair order: the store's checklist answered item by item, valuables and damage
 * noted, and photos taken with the tablet's camera. Photos upload and seal in the background (a queue
 * with retries), so the form never waits for them; each sealed photo shows its hash and the server's
 * time, and a warning when the stored file no longer matches its seal.
 */
export function WalkAroundPanel({ storeId, repairOrderId }: WalkAroundPanelProps) {
  const store = useStore();
  const api = useMemo(
    () => (store.api.storeId === storeId ? store.api : new StoreClient(store.api.http, storeId)),
    [store.api, storeId],
  );
  const canWrite = store.can('repair_order:write');
  const text = useText();
  const errorText = useErrorText();
  const { locale } = useI18n();

  const loaded = useLoad(useCallback(() => getWalkAround(api, repairOrderId), [api, repairOrderId]));
  const templates = useLoad(
    useCallback(
      () => (canWrite ? listChecklistTemplates(api) : Promise.resolve({ items: [] as ChecklistTemplate[] })),
      [api, canWrite],
    ),
  );

  const [notice, setNotice] = useState<'saved' | 'conflict' | undefined>(undefined);

  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />;
  if (!loaded.data) return <Loading />;
  const { data: walkAround, etag } = loaded.data;
  const name = (b: { zh: string; en?: string }) => (locale === 'en' && b.en ? b.en : b.zh);
  // The form starts again only when the form itself changed: a photo sealed in the background moves
  // the version too, and must not wipe what the advisor is typing (the form saves on the new ETag).
  const formState = JSON.stringify([
    walkAround.template?.id,
    walkAround.answers,
    walkAround.valuables,
    walkAround.damageNotes,
  ]);

  return (
    <Section title={text('title')}>
      {!canWrite && <Notice>{text('readOnly')}</Notice>}
      {notice === 'saved' && <Notice kind="success">{text('saved')}</Notice>}
      {notice === 'conflict' && <Notice kind="warning">{text('conflict')}</Notice>}
      <ChecklistForm
        key={formState}
        api={api}
        repairOrderId={repairOrderId}
        walkAround={walkAround}
        etag={etag}
        templates={(templates.data?.items ?? []).filter((t) => t.active)}
        canWrite={canWrite}
        onSaved={async () => {
          setNotice('saved');
          await loaded.reload();
        }}
        onEdit={() => setNotice(undefined)}
        onConflict={async () => {
          setNotice('conflict');
          await loaded.reload();
        }}
        name={name}
        errorText={errorText}
      />
      <Photos
        api={api}
        repairOrderId={repairOrderId}
        photos={walkAround.photos}
        sections={walkAround.template?.sections ?? []}
        canWrite={canWrite}
        onSealed={loaded.reload}
        name={name}
      />
    </Section>
  );
}

// ——— The checklist ———————————————————————————————————————————————————————————————————————

function ChecklistForm(props: {
  api: StoreClient;
  repairOrderId: string;
  walkAround: WalkAround;
  etag: string;
  templates: ChecklistTemplate[];
  canWrite: boolean;
  onSaved: () => Promise<void>;
  onEdit: () => void;
  onConflict: () => Promise<void>;
  name: (b: { zh: string; en?: string }) => string;
  errorText: (err: unknown) => string;
}) {
  const { walkAround, templates, canWrite, name } = props;
  const text = useText();
  const [templateId, setTemplateId] = useState(walkAround.template?.id ?? templates[0]?.id ?? '');
  const [answers, setAnswers] = useState<Map<string, ChecklistAnswer>>(
    () => new Map(walkAround.answers.map((a) => [refKey(a), a])),
  );
  const [valuables, setValuables] = useState(walkAround.valuables.join('\n'));
  const [damageNotes, setDamageNotes] = useState(walkAround.damageNotes ?? '');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ error?: unknown }>({});
  const ids = useId();

  const sections: Sections =
    walkAround.template?.id === templateId
      ? walkAround.template.sections
      : (templates.find((t) => t.id === templateId)?.sections ?? []);
  const answer = (ref: ItemRef) => answers.get(refKey(ref));
  const setAnswer = (a: ChecklistAnswer) => {
    props.onEdit();
    setAnswers((m) => new Map(m).set(refKey(a), a));
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setOutcome({});
    try {
      await recordWalkAround(
        props.api,
        props.repairOrderId,
        {
          templateId,
          answers: [...answers.values()].filter((a) => sections[a.section]?.items[a.item]?.kind === a.kind),
          valuables: valuables
            .split('\n')
            .map((v) => v.trim())
            .filter(Boolean),
          ...(damageNotes.trim() ? { damageNotes: damageNotes.trim() } : {}),
        },
        props.etag,
      );
      await props.onSaved();
    } catch (err) {
      if (isVersionConflict(err)) await props.onConflict();
      else setOutcome({ error: err });
    } finally {
      setBusy(false);
    }
  };

  if (!walkAround.template && templates.length === 0 && canWrite)
    return <Notice>{text('noTemplates')}</Notice>;
  const fieldProblems = outcome.error instanceof ApiError ? outcome.error.fieldErrors : [];

  return (
    <form onSubmit={(e) => void save(e)} class="walk-around-form">
      {!walkAround.template && templates.length > 1 && (
        <label class="field">
          <span>{text('template')}</span>
          <select
            value={templateId}
            onChange={(e) => setTemplateId(e.currentTarget.value)}
            disabled={!canWrite}
          >
            {templates.map((t) => (
              <option key={t.id} value={t.id}>
                {name(t.name)}
              </option>
            ))}
          </select>
        </label>
      )}
      {sections.map((s, section) => (
        <fieldset key={refKey({ section, item: 0 })} class="field" disabled={!canWrite}>
          <legend>{name(s.title)}</legend>
          {s.items.map((it, item) => {
            const ref = { section, item };
            const id = `${ids}-${refKey(ref)}`;
            const current = answer(ref);
            const label = name(it.label);
            if (it.kind === 'check')
              return (
                <label key={id} class="check">
                  <input
                    type="checkbox"
                    checked={current?.kind === 'check' && current.checked}
                    onChange={(e) => setAnswer({ ...ref, kind: 'check', checked: e.currentTarget.checked })}
                  />
                  <span>{label}</span>
                </label>
              );
            if (it.kind === 'condition') {
              const value = current?.kind === 'condition' ? current : undefined;
              return (
                <div key={id} class="choice-group" role="radiogroup" aria-label={label}>
                  <span>{label}</span>
                  {(['ok', 'attention', 'urgent'] as const).map((c) => (
                    <label key={c} class={`choice${value?.condition === c ? ' selected' : ''}`}>
                      <input
                        type="radio"
                        name={id}
                        checked={value?.condition === c}
                        onChange={() =>
                          setAnswer({
                            ...ref,
                            kind: 'condition',
                            condition: c,
                            ...(value?.note ? { note: value.note } : {}),
                          })
                        }
                      />
                      <span>{text(c)}</span>
                    </label>
                  ))}
                  {value && value.condition !== 'ok' && (
                    <input
                      aria-label={`${label}: ${text('note')}`}
                      maxLength={200}
                      value={value.note ?? ''}
                      onInput={(e) => setAnswer({ ...value, note: e.currentTarget.value })}
                    />
                  )}
                </div>
              );
            }
            if (it.kind === 'text')
              return (
                <label key={id} class="field">
                  <span>{label}</span>
                  <input
                    maxLength={500}
                    value={current?.kind === 'text' ? current.text : ''}
                    onInput={(e) => setAnswer({ ...ref, kind: 'text', text: e.currentTarget.value })}
                  />
                </label>
              );
            return (
              <p key={id} class="hint">
                {label}: {text('photoItem')}
              </p>
            );
          })}
        </fieldset>
      ))}
      <label class="field">
        <span>{text('valuables')}</span>
        <textarea
          rows={3}
          value={valuables}
          disabled={!canWrite}
          onInput={(e) => setValuables(e.currentTarget.value)}
          aria-describedby={`${ids}-valuables`}
        />
        <small id={`${ids}-valuables`}>{text('valuablesHint')}</small>
      </label>
      <label class="field">
        <span>{text('damageNotes')}</span>
        <textarea
          rows={3}
          maxLength={1000}
          value={damageNotes}
          disabled={!canWrite}
          onInput={(e) => setDamageNotes(e.currentTarget.value)}
        />
      </label>
      {outcome.error !== undefined && (
        <Notice kind="error">
          <span>{props.errorText(outcome.error)}</span>
          {fieldProblems.length > 0 && (
            <ul>
              {fieldProblems.map((f) => (
                <li key={f.path}>
                  {f.path}: {f.code ? props.errorText(new ApiError(400, f.code, f.message)) : f.message}
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      {canWrite && (
        <button type="submit" class="btn btn-primary" disabled={busy || !templateId}>
          {text('save')}
        </button>
      )}
    </form>
  );
}

// ——— Photos ————————————————————————————————————————————————————————————————————————————————

function Photos(props: {
  api: StoreClient;
  repairOrderId: string;
  photos: SealedPhoto[];
  sections: Sections;
  canWrite: boolean;
  onSealed: () => Promise<void>;
  name: (b: { zh: string; en?: string }) => string;
}) {
  const { api, repairOrderId, sections, name } = props;
  const text = useText();
  const [queued, setQueued] = useState<readonly QueuedPhoto[]>([]);
  const [itemFor, setItemFor] = useState('');
  const onSealed = useRef(props.onSealed);
  onSealed.current = props.onSealed;
  const queue = useMemo(
    () =>
      new UploadQueue(
        {
          async upload(photo) {
            if (!PHOTO_TYPES.includes(photo.file.type)) throw new Error('not a photo type the store keeps');
            return uploadPhoto(api, repairOrderId, photo.file, photo.file.type as PhotoContentType);
          },
          async seal(photo, photoId) {
            await sealPhoto(api, repairOrderId, photoId, photo.itemRef ? { itemRef: photo.itemRef } : {});
          },
        },
        setQueued,
        () => void onSealed.current(),
      ),
    [api, repairOrderId],
  );
  const photoItems = sections.flatMap((s, section) =>
    s.items.flatMap((it, item) =>
      it.kind === 'photo' ? [{ ref: { section, item }, label: name(it.label) }] : [],
    ),
  );
  const labelOf = (ref: ItemRef | undefined) =>
    ref
      ? sections[ref.section]?.items[ref.item]
        ? name(sections[ref.section]!.items[ref.item]!.label)
        : ''
      : '';
  const stateText = {
    queued: 'queued',
    uploading: 'uploading',
    sealing: 'sealing',
    failed: 'failed',
    gave_up: 'gaveUp',
    sealed: 'sealing',
  } as const;
  const ids = useId();

  return (
    <div class="walk-around-photos">
      <h3>{text('photos')}</h3>
      {props.canWrite && (
        <div class="actions">
          {photoItems.length > 0 && (
            <label class="field">
              <span>{text('photoFor')}</span>
              <select value={itemFor} onChange={(e) => setItemFor(e.currentTarget.value)}>
                <option value="">{text('general')}</option>
                {photoItems.map((p) => (
                  <option key={refKey(p.ref)} value={refKey(p.ref)}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label class="btn" for={`${ids}-camera`}>
            {text('takePhoto')}
          </label>
          <input
            id={`${ids}-camera`}
            class="visually-hidden"
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            onChange={(e) => {
              const input = e.currentTarget;
              const ref = photoItems.find((p) => refKey(p.ref) === itemFor)?.ref;
              for (const file of Array.from(input.files ?? [])) queue.add(file, ref);
              input.value = '';
            }}
          />
        </div>
      )}
      {queued.length > 0 && (
        <div aria-live="polite">
          <p class="hint">{text('pending', { count: queued.length })}</p>
          <ul>
            {queued.map((q) => (
              <li key={q.key}>
                {q.file.name} — {text(stateText[q.state])}
                {q.state === 'gave_up' && (
                  <button type="button" class="btn btn-small" onClick={() => queue.retry(q.key)}>
                    {text('retry')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {props.photos.length === 0 ? (
        <p class="hint">{text('noPhotos')}</p>
      ) : (
        <ul class="photo-grid" style={PHOTO_GRID}>
          {props.photos.map((p) => (
            <li key={p.photoId}>
              <SealedPhotoCard
                api={api}
                repairOrderId={repairOrderId}
                photo={p}
                label={p.purpose === 'signature' ? text('signature') : labelOf(p.itemRef)}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One sealed photo: loaded through its short-lived URL, re-checked against its seal on every read. */
function SealedPhotoCard(props: {
  api: StoreClient;
  repairOrderId: string;
  photo: SealedPhoto;
  label: string;
}) {
  const { api, repairOrderId, photo } = props;
  const text = useText();
  const { dateTime } = useI18n();
  const [view, setView] = useState<PhotoView | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let live = true;
    getPhoto(api, repairOrderId, photo.photoId).then(
      (v) => live && setView(v),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, repairOrderId, photo.photoId]);
  const caption = [props.label, photo.caption].filter(Boolean).join(' · ');
  return (
    <figure class="card">
      {view && <img src={view.url} alt={caption || photo.photoId} loading="lazy" width={240} />}
      {error !== undefined && <ErrorNotice error={error} />}
      <figcaption>
        {caption && <div>{caption}</div>}
        <div>{text('sealedAt', { at: dateTime(photo.sealedAt) })}</div>
        <div>
          <code>{text('hash', { hash: photo.sha256.slice(0, 12) })}</code>
        </div>
        {view &&
          (view.intact ? (
            <Badge kind="success">{text('intact')}</Badge>
          ) : (
            <Badge kind="danger">{text('altered')}</Badge>
          ))}
      </figcaption>
    </figure>
  );
}
