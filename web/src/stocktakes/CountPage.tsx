import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Link, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, Notice, PageHeader, useErrorText } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { countStocktake, getStocktake, type Stocktake, type StocktakeLine } from './api.ts';
import { keyOf } from './StocktakePage.tsx';

/**
 * 手机盘点: one line at a time on a phone. A scanned barcode (a scanner types the part number and
 * Enter) or a typed part number or bin jumps to its line; the count is saved with "next", which moves
 * to the next line not yet counted.
 */
export function CountPage({ stocktakeId }: { stocktakeId: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { api, href } = useStore();
  // A recount (`?recount=<bin>#<partId>,…`, from a posting refused for bins moved since counted):
  // only those lines are walked, each until counted again here.
  const recount = useLocation().query.get('recount');
  const asked = useMemo(() => new Set(recount ? recount.split(',') : []), [recount]);
  const loaded = useLoad(useCallback(() => getStocktake(api, stocktakeId), [api, stocktakeId]));
  const [sheet, setSheet] = useState<Stocktake | null>(null);
  const [recounted, setRecounted] = useState<ReadonlySet<string>>(new Set());
  const [at, setAt] = useState(0);
  const [code, setCode] = useState('');
  const [count, setCount] = useState('');
  const [problem, setProblem] = useState('');
  const countInput = useRef<HTMLInputElement>(null);

  /** Still to count: a line not counted, or in a recount a line asked and not yet recounted. */
  const pending = useCallback(
    (l: StocktakeLine, done: ReadonlySet<string>) =>
      asked.size ? asked.has(keyOf(l)) && !done.has(keyOf(l)) : l.counted === undefined,
    [asked],
  );

  useEffect(() => {
    if (!loaded.data) return;
    const s = loaded.data.data;
    setSheet(s);
    const first = s.lines.findIndex((l) => pending(l, new Set()));
    setAt(first === -1 ? 0 : first);
  }, [loaded.data, pending]);

  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  if (!sheet) return <Loading />;
  const line = sheet.lines[at];
  const allDone = asked.size
    ? sheet.lines.every((l) => !pending(l, recounted))
    : sheet.summary.counted === sheet.summary.lines;

  const jump = () => {
    const wanted = code.replace(/[\s\u3000]+/g, '').toUpperCase();
    if (!wanted) return;
    const i = sheet.lines.findIndex((l) => l.partNumber === wanted || l.bin === wanted);
    if (i === -1) return setProblem(t('stk.notOnSheet', { code: wanted }));
    setProblem('');
    setAt(i);
    setCode('');
    setCount('');
    countInput.current?.focus();
  };

  const saveAndNext = async () => {
    if (!line || count === '') return;
    try {
      const next = await countStocktake(api, sheet.id, {
        lines: [{ bin: line.bin, partId: line.partId, counted: Number(count) }],
      });
      const done = new Set(recounted).add(keyOf(line));
      setRecounted(done);
      setSheet(next);
      setProblem('');
      setCount('');
      const after = next.lines.findIndex((l, i) => i > at && pending(l, done));
      const firstUncounted = next.lines.findIndex((l) => pending(l, done));
      setAt(after !== -1 ? after : firstUncounted !== -1 ? firstUncounted : at);
      countInput.current?.focus();
    } catch (err) {
      setProblem(errorText(err));
    }
  };

  return (
    <div class="page phone-count">
      <PageHeader title={t('stk.phone')} />
      <Link href={href(`stocktakes/${encodeURIComponent(sheet.id)}`)}>{t('stk.back')}</Link>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          jump();
        }}
      >
        <label class="field">
          <span class="label-text">{t('stk.scan')}</span>
          <input
            value={code}
            autoComplete="off"
            autoCapitalize="characters"
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="btn">
          {t('stk.find')}
        </button>
      </form>
      {problem && <Notice kind="error">{problem}</Notice>}
      {asked.size > 0 && !allDone && <Notice kind="warning">{t('stk.recounting', { n: asked.size })}</Notice>}
      {allDone && <Notice kind="success">{t(asked.size ? 'stk.recounted' : 'stk.allCounted')}</Notice>}
      {line && (
        <form
          class="form count-card"
          onSubmit={(e) => {
            e.preventDefault();
            void saveAndNext();
          }}
        >
          <p class="hint">{t('stk.lineOf', { n: at + 1, total: sheet.lines.length })}</p>
          <p class="count-bin">{line.bin}</p>
          <p>
            <strong>{line.partNumber}</strong> {line.name.zh}
          </p>
          <p>
            {t('stk.counted')}: {line.counted ?? '—'}
          </p>
          <label class="field">
            <span class="label-text">{t('stk.countOf', { part: line.partNumber, bin: line.bin })}</span>
            <input
              ref={countInput}
              type="number"
              min={0}
              inputMode="numeric"
              required
              value={count}
              onInput={(e) => setCount(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="btn btn-primary" disabled={count === ''}>
            {t('stk.next')}
          </button>
        </form>
      )}
    </div>
  );
}
