import type { BookingReceipt, FreeSlots, PublicStore } from '@aftersales/domain';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { interpolate, type Locale } from '../i18n/format.ts';
import { bookingApi } from './api.ts';
import { type BookingMessages, bookingMessages, WEEKDAYS } from './messages.ts';
import { solveChallenge } from './proof.ts';
import { usePublicLocale } from './public-locale.tsx';

const WEEK: readonly (keyof PublicStore['openingHours'])[] = [
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
];
const DAYS_SHOWN = 14;
const TITLE = (l: Locale) => bookingMessages[l].title;
const LANGUAGE = (l: Locale) => bookingMessages[l].language;

/** Today in the store's zone (the free slots are the store's days). */
const todayIn = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );

const weekdayOf = (date: string) => (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;

type Phase =
  | { kind: 'form' }
  | { kind: 'proving' }
  | { kind: 'sending' }
  | { kind: 'done'; receipt: BookingReceipt };

/** A store's public booking page: pick a free slot, leave a contact, and the store confirms. */
export function BookingPage({ storeId }: { storeId: string }) {
  const { locale, languageSwitch } = usePublicLocale(TITLE, LANGUAGE);
  const m: BookingMessages = bookingMessages[locale];
  const t = (key: keyof BookingMessages, vars?: Record<string, string | number>) => interpolate(m[key], vars);
  const api = useMemo(() => bookingApi(storeId), [storeId]);
  const [store, setStore] = useState<PublicStore | 'missing' | 'failed' | undefined>();
  const [slots, setSlots] = useState<FreeSlots | undefined>();
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const [message, setMessage] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const idempotencyKey = useRef(crypto.randomUUID());

  const loadSlots = async (face: PublicStore) => {
    const answer = await api.freeSlots(todayIn(face.timeZone), DAYS_SHOWN);
    if (!answer.ok) return;
    setSlots(answer.body);
    const first = answer.body.days.find((d) => d.times.length > 0);
    setDate((current) => current || first?.date || '');
  };

  useEffect(() => {
    void (async () => {
      const answer = await api.store();
      if (!answer.ok) {
        setStore(answer.status === 404 ? 'missing' : 'failed');
        return;
      }
      setStore(answer.body);
      await loadSlots(answer.body);
    })();
  }, [api]);

  const dayLabel = (d: string) => `${WEEKDAYS[locale][weekdayOf(d)]} ${d.slice(5).replace('-', '/')}`;

  if (store === undefined) return <p role="status">{m.loading}</p>;
  if (store === 'missing' || store === 'failed')
    return (
      <main class="booking">
        <h1>{m.title}</h1>
        <p role="alert">{store === 'missing' ? m.notFound : m.failed}</p>
      </main>
    );

  if (phase.kind === 'done')
    return (
      <main class="booking">
        {languageSwitch}
        <h1>{store.name}</h1>
        <section class="booking-done" role="status" aria-live="polite">
          <h2>{m.doneTitle}</h2>
          <p class="booking-reference">{t('reference', { reference: phase.receipt.reference })}</p>
          <p>{t('willConfirm', { date: phase.receipt.date, time: phase.receipt.time })}</p>
        </section>
        <button
          type="button"
          onClick={() => {
            idempotencyKey.current = crypto.randomUUID();
            setTime('');
            setPhase({ kind: 'form' });
            void loadSlots(store);
          }}
        >
          {m.another}
        </button>
      </main>
    );

  const day = slots?.days.find((d) => d.date === date);
  const busy = phase.kind !== 'form';

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setFieldErrors({});
    if (!date || !time) {
      setMessage(m.pickSlot);
      return;
    }
    setPhase({ kind: 'proving' });
    setMessage(m.proving);
    const challenge = await api.challenge();
    if (!challenge.ok) {
      setPhase({ kind: 'form' });
      setMessage(challenge.status === 429 ? t('limited', { seconds: challenge.retryAfter }) : m.failed);
      return;
    }
    const nonce = await solveChallenge(challenge.body.challenge, challenge.body.difficulty);
    setPhase({ kind: 'sending' });
    setMessage(m.sending);
    const answer = await api.request(
      {
        name: String(form.get('name') ?? ''),
        phone: String(form.get('phone') ?? ''),
        plate: String(form.get('plate') ?? ''),
        concern: String(form.get('concern') ?? ''),
        messagesConsent: form.get('consent') === 'on',
        locale,
        date,
        time,
        proof: { challenge: challenge.body.challenge, nonce },
      },
      idempotencyKey.current,
    );
    if (answer.ok) {
      setMessage('');
      setPhase({ kind: 'done', receipt: answer.body });
      return;
    }
    setPhase({ kind: 'form' });
    // A refused request booked nothing: the next attempt is a new request.
    idempotencyKey.current = crypto.randomUUID();
    if (answer.status === 400 && answer.fieldErrors.length > 0) {
      setFieldErrors(Object.fromEntries(answer.fieldErrors.map((f) => [f.path, f.message])));
      setMessage(m.fixFields);
    } else if (answer.code === 'CAPACITY_FULL') {
      setMessage(t('full', { days: answer.nextDays.map(dayLabel).join(', ') || '—' }));
      void loadSlots(store);
    } else if (answer.status === 409) {
      setMessage(m.slotGone);
      void loadSlots(store);
    } else if (answer.status === 429) setMessage(t('limited', { seconds: answer.retryAfter }));
    else setMessage(m.failed);
  };

  const field = (name: 'name' | 'phone' | 'plate', type: string, autocomplete: string) => (
    <div class="booking-field">
      <label for={`bk-${name}`}>{m[name]}</label>
      <input
        id={`bk-${name}`}
        name={name}
        type={type}
        autocomplete={autocomplete}
        required
        aria-invalid={fieldErrors[name] ? 'true' : undefined}
        aria-describedby={fieldErrors[name] ? `bk-${name}-error` : undefined}
      />
      {fieldErrors[name] && (
        <p class="booking-error" id={`bk-${name}-error`}>
          {fieldErrors[name]}
        </p>
      )}
    </div>
  );

  return (
    <main class="booking">
      {languageSwitch}
      <h1>{store.name}</h1>
      <p class="booking-sub">
        {m.title}
        {store.city ? ` · ${store.city}` : ''}
      </p>
      <details class="booking-info">
        <summary>{m.hours}</summary>
        <ul>
          {WEEK.map((d, i) => {
            const h = store.openingHours[d];
            return (
              <li key={d}>
                {WEEKDAYS[locale][i]}: {h ? `${h.open}–${h.close}` : m.closed}
              </li>
            );
          })}
        </ul>
      </details>
      {store.papers.length > 0 && (
        <p class="booking-papers">
          {m.papers}:{' '}
          {store.papers.map((p) => (locale === 'en' && p.name.en ? p.name.en : p.name.zh)).join('、')}
        </p>
      )}
      <form onSubmit={submit} noValidate={false}>
        <fieldset>
          <legend>{m.slotTitle}</legend>
          <div class="booking-field">
            <label for="bk-day">{m.day}</label>
            <select
              id="bk-day"
              value={date}
              onChange={(e) => {
                setDate(e.currentTarget.value);
                setTime('');
              }}
            >
              {(slots?.days ?? []).map((d) => (
                <option key={d.date} value={d.date} disabled={d.times.length === 0}>
                  {dayLabel(d.date)}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="booking-times">
            <legend>{m.time}</legend>
            {day && day.times.length === 0 && <p>{m.noSlots}</p>}
            {day?.times.map((slot) => (
              <label key={slot} class={slot === time ? 'booking-time selected' : 'booking-time'}>
                <input
                  type="radio"
                  name="time"
                  value={slot}
                  checked={slot === time}
                  onChange={() => setTime(slot)}
                />
                {slot}
              </label>
            ))}
          </fieldset>
        </fieldset>
        <fieldset>
          <legend>{m.contactTitle}</legend>
          {field('name', 'text', 'name')}
          {field('phone', 'tel', 'tel')}
          {field('plate', 'text', 'off')}
          <div class="booking-field">
            <label for="bk-concern">{m.concern}</label>
            <textarea
              id="bk-concern"
              name="concern"
              rows={3}
              maxLength={500}
              required
              aria-invalid={fieldErrors.concern ? 'true' : undefined}
              aria-describedby={fieldErrors.concern ? 'bk-concern-error' : undefined}
            />
            {fieldErrors.concern && (
              <p class="booking-error" id="bk-concern-error">
                {fieldErrors.concern}
              </p>
            )}
          </div>
          <label class="booking-consent">
            <input type="checkbox" name="consent" />
            {m.consent}
          </label>
        </fieldset>
        <p class="booking-message" role="status" aria-live="polite">
          {message}
        </p>
        <button type="submit" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {m.submit}
        </button>
      </form>
    </main>
  );
}
