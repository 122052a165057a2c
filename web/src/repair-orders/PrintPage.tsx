import { lineTotals, serviceIntervalFor, wallClock } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, Notice } from '../components/ui.tsx';
import { commonMessages } from '../i18n/common.ts';
import { formatsFor, interpolate, type Locale, type Vars } from '../i18n/format.ts';
import { LocaleSelect, useI18n } from '../i18n/index.tsx';
import { getStoreSetup } from '../setup/api.ts';
import { setupMessages } from '../setup/messages.ts';
import { getVehicle } from '../vehicles/api.ts';
import { getRepairOrder, type JobLine, type RepairOrder } from './api.ts';
import { repairOrderMessages } from './messages.ts';
import { isPrintDoc, type PrintDoc } from './print-docs.ts';
import { PayerTotalsTable } from './Quotes.tsx';
import { fen, nameIn } from './shared.tsx';
import './print.css';

/** The strings and formats of a printed document, in its own language (not necessarily the screen's). */
function paperIn(locale: Locale, timeZone: string) {
  const m = { ...commonMessages[locale], ...setupMessages[locale], ...repairOrderMessages[locale] };
  return {
    ...formatsFor(locale, timeZone),
    locale,
    m,
    t: (key: keyof typeof repairOrderMessages.en & `ro.${string}`, vars?: Vars) =>
      interpolate(repairOrderMessages[locale][key], vars),
  };
}
type Paper = ReturnType<typeof paperIn>;

/**
 * A printable document of the order on A4 (`@media print` hides the app's chrome and this page's
 * controls): 委托书, 报价单, 结算单 or 交车单, in zh-CN or English whatever the screen's language.
 */
export function PrintPage({ repairOrderId, doc }: { repairOrderId: string; doc: string }) {
  const ui = useI18n();
  const { api, href, profile, store } = useStore();
  const [locale, setLocale] = useState<Locale>(ui.locale);
  const record = useLoad(useCallback(() => getRepairOrder(api, repairOrderId), [api, repairOrderId]));
  const ro = record.data?.data;
  if (!isPrintDoc(doc)) return <Notice kind="warning">{ui.t('error.pageNotFound')}</Notice>;
  if (record.error) return <ErrorNotice error={record.error} onRetry={() => void record.reload()} />;
  if (!ro) return <Loading />;
  const paper = paperIn(locale, profile?.store.timeZone ?? 'Asia/Shanghai');

  return (
    <div class="page print-view">
      <div class="print-controls no-print">
        <Link class="back-link" href={href(`repair-orders/${ro.id}`)}>
          ← {ui.t('ro.printBack')}
        </Link>
        <LocaleSelect label={ui.t('ro.printLanguage')} value={locale} onChange={setLocale} />
        <button type="button" class="btn btn-primary" onClick={() => window.print()}>
          {ui.t('ro.printNow')}
        </button>
      </div>
      <article class="print-sheet" lang={locale}>
        <header class="sheet-head">
          <p class="sheet-store">{store.name}</p>
          <h1>{paper.m.roDocs[doc]}</h1>
          <p>
            {paper.t('ro.docNumber')} {ro.id} · {paper.t('ro.date')}{' '}
            {paper.dateTime(new Date().toISOString())}
          </p>
        </header>
        <HeaderFacts ro={ro} paper={paper} />
        <DocBody doc={doc} ro={ro} paper={paper} />
      </article>
    </div>
  );
}

function HeaderFacts({ ro, paper: p }: { ro: RepairOrder; paper: Paper }) {
  const facts: [string, string][] = [
    [p.t('ro.customer'), ro.customerName ?? ''],
    [p.t('ro.plate'), ro.plate ?? ''],
    [p.t('ro.odometer'), p.number(ro.odometerKm)],
    [p.t('ro.fuel'), p.t('ro.fuelOf', { n: ro.fuelLevel })],
    [p.t('ro.promised'), p.dateTime(ro.promisedAt)],
    [p.t('ro.status'), p.m.roStatuses[ro.status]],
  ];
  if (ro.accident) facts.push([p.t('ro.accident'), `${ro.accident.insurer} · ${ro.accident.claimNumber}`]);
  return (
    <dl class="sheet-facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value || '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

function DocBody({ doc, ro, paper }: { doc: PrintDoc; ro: RepairOrder; paper: Paper }) {
  const p = paper;
  switch (doc) {
    case 'ro':
      return (
        <>
          <h2>{p.t('ro.concerns')}</h2>
          <ol>
            {ro.concerns.map((c) => (
              <li key={c.id}>{c.words}</li>
            ))}
          </ol>
          <h2>{p.t('ro.lines')}</h2>
          <ol>
            {ro.lines.map((l) => (
              <li key={l.id}>
                {l.complaint} · {p.m.payers[l.payer]} · {p.m.roLineStatuses[l.status]}
              </li>
            ))}
          </ol>
          <Signatures paper={p} />
        </>
      );
    case 'quote': {
      const quote = ro.quotes.at(-1);
      if (!quote) return <p>{p.t('ro.noQuotes')}</p>;
      const ids = new Set(quote.lines.map((l) => l.lineId));
      return (
        <>
          <h2>{p.t('ro.quoteVersion', { n: quote.version })}</h2>
          <WorkTable lines={ro.lines.filter((l) => ids.has(l.id))} paper={p} />
          <PayerTotalsTable rows={quote.byPayer} caption={p.t('ro.shares')} words={p} />
          <Signatures paper={p} />
        </>
      );
    }
    case 'settlement': {
      const done = ro.lines.filter((l) => l.status === 'checked');
      return (
        <>
          <WorkTable lines={done} paper={p} />
          {ro.settlement ? (
            <>
              <PayerTotalsTable rows={ro.settlement.shares} caption={p.t('ro.shares')} words={p} />
              <ul class="plain-list">
                {ro.settlement.payments.map((pay, i) => (
                  <li key={i}>
                    {p.m.roPaymentMethods[pay.method]} {pay.reference ?? ''} {fen(pay.amount.amountMinor)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <Signatures paper={p} />
        </>
      );
    }
    case 'delivery':
      return <DeliverySheet ro={ro} paper={p} />;
  }
}

/** Each line with its labour (hours × rate), parts (quantity × unit price) and consumables, per payer. */
function WorkTable({ lines, paper: p }: { lines: readonly JobLine[]; paper: Paper }) {
  return (
    <table class="sheet-table">
      <thead>
        <tr>
          <th scope="col">{p.t('ro.item')}</th>
          <th scope="col">{p.t('ro.payer')}</th>
          <th scope="col" class="num">
            {p.t('ro.quantity')}
          </th>
          <th scope="col" class="num">
            {p.t('ro.unitPrice')}
          </th>
          <th scope="col" class="num">
            {p.t('ro.amount')}
          </th>
        </tr>
      </thead>
      {lines.map((l) => {
        const totals = lineTotals(l);
        const payer = p.m.payers[l.payer];
        return (
          <tbody key={l.id}>
            <tr class="sheet-line">
              <th scope="rowgroup" colSpan={5}>
                {l.id} · {l.complaint}
                {l.correction ? ` → ${l.correction}` : ''}
              </th>
            </tr>
            {l.labour.map((o) => (
              <tr key={o.labourOpId}>
                <td>
                  {p.t('ro.labour')}: {o.code} {nameIn(p.locale, o.name)}
                </td>
                <td>{payer}</td>
                <td class="num">{(o.tenths / 10).toFixed(1)} h</td>
                <td class="num">{fen(o.rate.amountMinor)}</td>
                <td class="num">{fen(Math.round((o.tenths * o.rate.amountMinor) / 10))}</td>
              </tr>
            ))}
            {l.parts.map((part) => (
              <tr key={part.partId}>
                <td>
                  {p.t('ro.parts')}: {part.partNumber} {nameIn(p.locale, part.name)}
                </td>
                <td>{payer}</td>
                <td class="num">{part.quantity}</td>
                <td class="num">{fen(part.unitPrice.amountMinor)}</td>
                <td class="num">{fen(part.quantity * part.unitPrice.amountMinor)}</td>
              </tr>
            ))}
            {l.consumables.map((c) => (
              <tr key={c.name}>
                <td>
                  {p.t('ro.consumables')}: {c.name}
                </td>
                <td>{payer}</td>
                <td class="num" />
                <td class="num" />
                <td class="num">{fen(c.amount.amountMinor)}</td>
              </tr>
            ))}
            <tr>
              <td colSpan={4}>
                {p.t('ro.subtotal')}
                {totals.discount > 0 ? ` (${p.t('ro.discount')} −${fen(totals.discount)})` : ''}
              </td>
              <td class="num">{fen(totals.net)}</td>
            </tr>
          </tbody>
        );
      })}
    </table>
  );
}

function Signatures({ paper: p }: { paper: Paper }) {
  return (
    <div class="sheet-signatures">
      <p>{p.t('ro.customerSignature')}: ____________________</p>
      <p>{p.t('ro.advisorSignature')}: ____________________</p>
    </div>
  );
}

/** Months after a date-time, as the store's calendar date (the month's end where the day does not exist). */
function monthsAfter(iso: string, months: number, timeZone: string): string {
  const { date } = wallClock(iso, timeZone);
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, mo - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, mo - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

/** 交车单: the checklist, the old parts' fate, and the next maintenance by the store's service interval. */
function DeliverySheet({ ro, paper: p }: { ro: RepairOrder; paper: Paper }) {
  const { api, profile } = useStore();
  const setup = useLoad(useCallback(() => getStoreSetup(api), [api]));
  const vehicle = useLoad(useCallback(() => getVehicle(api, ro.vehicleId), [api, ro.vehicleId]));
  const v = vehicle.data?.data;
  const interval =
    setup.data && v ? serviceIntervalFor(setup.data.data.serviceIntervals, v.brand, v.model) : undefined;
  const from = ro.delivery?.by.at ?? new Date().toISOString();
  const timeZone = profile?.store.timeZone ?? 'Asia/Shanghai';
  const yes = (b: boolean | undefined) => (b ? p.m.common.yes : p.m.common.no);
  return (
    <>
      <h2>{p.t('ro.checklist')}</h2>
      <dl class="sheet-facts">
        {(
          [
            [p.t('ro.keys'), yes(ro.delivery?.keysHandedOver)],
            [p.t('ro.valuables'), yes(ro.delivery?.valuablesReturned)],
            [p.t('ro.workExplained'), yes(ro.delivery?.workExplained)],
            [p.t('ro.oldParts'), ro.delivery ? p.m.roOldParts[ro.delivery.oldParts] : '—'],
            [p.t('ro.deliveryNote'), ro.delivery?.note ?? '—'],
          ] as [string, string][]
        ).map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>{p.t('ro.nextService')}</h2>
      <p>
        {interval
          ? p.t('ro.nextServiceAt', {
              date: p.date(monthsAfter(from, interval.months, timeZone)),
              km: p.number(ro.odometerKm + interval.km),
            })
          : p.t('ro.noInterval')}
      </p>
      <Signatures paper={p} />
    </>
  );
}
