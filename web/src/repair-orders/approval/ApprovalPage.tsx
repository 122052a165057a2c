import type { PublicQuote, RemoteApprovalReceipt } from '@aftersales/domain';
import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { usePublicLocale } from '../../booking/public-locale.tsx';
import { formatsFor, interpolate, type Locale } from '../../i18n/format.ts';
import { approvalApi } from './api.ts';
import { type ApprovalMessages, approvalMessages } from './messages.ts';

const TITLE = (l: Locale) => approvalMessages[l].title;
const LANGUAGE = (l: Locale) => approvalMessages[l].language;

/** Link problems the page explains in words of its own; anything else is "try again". */
const LINK_CODES = [
  'APPROVAL_LINK_NOT_FOUND',
  'APPROVAL_LINK_EXPIRED',
  'APPROVAL_LINK_USED',
  'APPROVAL_LINK_OUTDATED',
] as const;
type LinkCode = (typeof LINK_CODES)[number];
const isLinkCode = (code: string): code is LinkCode => (LINK_CODES as readonly string[]).includes(code);

type State =
  | { kind: 'loading' }
  | { kind: 'refused'; text: keyof ApprovalMessages }
  | { kind: 'quote'; quote: PublicQuote }
  | { kind: 'done'; receipt: RemoteApprovalReceipt };

/** 远程确认: the customer reads the quote line by line, approves or declines each, and signs with a name. */
export function ApprovalPage({ storeId, token }: { storeId: string; token: string }) {
  const { locale, languageSwitch } = usePublicLocale(TITLE, LANGUAGE);
  const m: ApprovalMessages = approvalMessages[locale];
  const t = (key: keyof ApprovalMessages, vars?: Record<string, string | number>) =>
    interpolate(m[key], vars);
  const api = useMemo(() => approvalApi(storeId, token), [storeId, token]);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [choices, setChoices] = useState<Record<string, boolean>>({});
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);
  // Fen, to the fen: a quote is read to the last jiao.
  const money = useMemo(
    () =>
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }),
    [locale],
  );
  const yuan = (minor: number) => money.format(minor / 100);

  const refused = (status: number, code: string): State => ({
    kind: 'refused',
    text: isLinkCode(code) ? code : status === 429 ? 'limited' : 'failed',
  });

  useEffect(() => {
    void (async () => {
      const answer = await api.quote();
      setState(answer.ok ? { kind: 'quote', quote: answer.body } : refused(answer.status, answer.code));
    })();
  }, [api]);

  if (state.kind === 'loading') return <p role="status">{m.loading}</p>;
  if (state.kind === 'refused')
    return (
      <main class="booking">
        {languageSwitch}
        <h1>{m.title}</h1>
        <p role="alert">{m[state.text]}</p>
      </main>
    );
  if (state.kind === 'done')
    return (
      <main class="booking">
        {languageSwitch}
        <section class="booking-done" role="status" aria-live="polite">
          <h1>{m.doneTitle}</h1>
          <p>
            {t('doneText', {
              approved: state.receipt.approvedLineIds.length,
              declined: state.receipt.declinedLineIds.length,
            })}
          </p>
        </section>
      </main>
    );

  const { quote } = state;
  const offered = quote.lines.filter((l) => l.offered);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError(m.nameNeeded);
    if (offered.some((l) => choices[l.lineId] === undefined)) return setError(m.decideAll);
    setError('');
    setSending(true);
    const answer = await api.answer(
      name.trim(),
      offered.map((l) => ({ lineId: l.lineId, approved: choices[l.lineId] === true })),
    );
    setSending(false);
    setState(answer.ok ? { kind: 'done', receipt: answer.body } : refused(answer.status, answer.code));
  };

  return (
    <main class="booking">
      {languageSwitch}
      <h1>{quote.storeName}</h1>
      <p class="booking-sub">
        {m.title}
        {quote.plate ? ` · ${t('plate', { plate: quote.plate })}` : ''}
      </p>
      <p class="booking-sub">
        {t('version', {
          version: quote.quoteVersion,
          until: formatsFor(locale).dateTime(quote.expiresAt),
        })}
      </p>
      <form onSubmit={submit} noValidate>
        {quote.lines.map((line) => (
          <section class="approval-line" key={line.lineId} aria-labelledby={`line-${line.lineId}`}>
            <h2 id={`line-${line.lineId}`}>{line.correction ?? line.complaint}</h2>
            <p>
              {m.payer}: {m[line.payer]} · <span class="approval-price">{yuan(line.totals.net)}</span>
            </p>
            {line.offered ? (
              <fieldset class="approval-choice" aria-labelledby={`line-${line.lineId}`}>
                {([true, false] as const).map((approved) => (
                  <label key={String(approved)}>
                    <input
                      type="radio"
                      name={`line-${line.lineId}`}
                      checked={choices[line.lineId] === approved}
                      onChange={() => setChoices({ ...choices, [line.lineId]: approved })}
                    />
                    {approved ? m.approve : m.decline}
                  </label>
                ))}
              </fieldset>
            ) : (
              <p>{m.decided}</p>
            )}
          </section>
        ))}
        <dl class="approval-totals">
          <dt>{m.totals}</dt>
          <dd>{yuan(quote.total)}</dd>
          {quote.byPayer.map((p) => (
            <Fragment key={p.payer}>
              <dt>{p.payer === 'customer' ? m.yourShare : m[p.payer]}</dt>
              <dd>{yuan(p.total)}</dd>
            </Fragment>
          ))}
        </dl>
        <label class="booking-field">
          <span>{m.name}</span>
          <input
            type="text"
            autocomplete="name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="booking-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={sending}>
          {sending ? m.sending : m.submit}
        </button>
      </form>
    </main>
  );
}
