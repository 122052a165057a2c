import type { Schemas } from '@aftersales/api-client';
import { BayType, Payer, StoreSetupInput, toMinor, Weekday } from '@aftersales/domain';
import { useMemo, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useEditing } from '../components/editing.ts';
import { optionsOf } from '../components/FormField.tsx';
import { Checkbox, SelectField, TextField, ValidatedForm } from '../components/forms.tsx';
import { ErrorNotice, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { optional, schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { getStoreSetup, saveStoreSetup } from './api.ts';
import { RowList } from './RowList.tsx';

type Setup = Schemas['StoreSetup'];
type Bay = Setup['bays'][number];
type Paper = Setup['papers'][number];
type Holiday = Setup['holidays'][number];
/** A service interval as typed: numbers stay text until the schema reads them. */
interface IntervalRow {
  brand: string;
  model: string;
  km: string;
  months: string;
}

/**
 * The set-up as edited: amounts as typed in yuan, the tax as a percentage, intervals as typed, the rest
 * as the API has it.
 */
interface FormState {
  setup: Setup;
  hours: Record<Weekday, { open: string; close: string; closed: boolean }>;
  rates: Record<Payer, string>;
  taxPercent: string;
  intervals: IntervalRow[];
}

function fromSetup(s: Setup): FormState {
  const hours = Object.fromEntries(
    Weekday.options.map((d) => {
      const day = s.openingHours[d];
      return [d, { open: day?.open ?? '08:30', close: day?.close ?? '17:30', closed: !day }];
    }),
  ) as FormState['hours'];
  const rates = Object.fromEntries(
    Payer.options.map((p) => [p, String(s.labourRates[p].amountMinor / 100)]),
  ) as FormState['rates'];
  const intervals = s.serviceIntervals.map((i) => ({
    brand: i.brand,
    model: i.model ?? '',
    km: String(i.km),
    months: String(i.months),
  }));
  return { setup: s, hours, rates, taxPercent: String(s.taxRateBp / 100), intervals };
}

/** Typed text → number; empty is NaN, which the schema refuses with the field's own message. */
const num = (typed: string) => (typed.trim() === '' ? Number.NaN : Number(typed.replace(/[,，\s]/g, '')));

/** Typed yuan → fen; what is not a number stays NaN, which the schema refuses with the field's message. */
const fen = (typed: string) => (typed.trim() === '' ? Number.NaN : toMinor(Number(typed)));

function toInput(f: FormState): StoreSetupInput {
  const { storeId: _s, version: _v, updatedAt: _u, ...rest } = f.setup;
  return {
    ...rest,
    openingHours: Object.fromEntries(
      Weekday.options
        .filter((d) => !f.hours[d].closed)
        .map((d) => [d, { open: f.hours[d].open, close: f.hours[d].close }]),
    ),
    labourRates: Object.fromEntries(
      Payer.options.map((p) => [p, { amountMinor: fen(f.rates[p]), currency: 'CNY' as const }]),
    ) as StoreSetupInput['labourRates'],
    taxRateBp: Math.round(Number(f.taxPercent) * 100),
    holidays: rest.holidays.map((h) => {
      const name = optional(h.name ?? '');
      return { date: h.date, ...(name ? { name } : {}) };
    }),
    serviceIntervals: f.intervals.map((i) => {
      const model = optional(i.model);
      return { brand: i.brand.trim(), ...(model ? { model } : {}), km: num(i.km), months: num(i.months) };
    }),
    papers: rest.papers.map((p) => {
      const en = optional(p.name.en ?? '');
      return { code: p.code.trim(), name: { zh: p.name.zh, ...(en ? { en } : {}) } };
    }),
  };
}

/** 门店设置: the manager edits every part of it; every other role reads it. */
export function SetupPage() {
  const { t, m } = useI18n();
  const { api, can } = useStore();
  const manage = can('setup:manage');
  const edit = useEditing({ load: useMemo(() => () => getStoreSetup(api), [api]), toForm: fromSetup });
  const { record, form, errors, setForm } = edit;
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [newBay, setNewBay] = useState<Bay>({ id: '', name: '', type: 'general', active: true });

  if (edit.loadError) return <ErrorNotice error={edit.loadError} onRetry={edit.retry} />;
  if (!form || !record) return <Loading />;
  const s = form.setup;
  const setSetup = (patch: Partial<Setup>) => setForm((f) => ({ ...f, setup: { ...f.setup, ...patch } }));
  const setDay = (d: Weekday, patch: Partial<FormState['hours'][Weekday]>) =>
    setForm((f) => ({ ...f, hours: { ...f.hours, [d]: { ...f.hours[d], ...patch } } }));

  const submit = async () => {
    if (busy || !manage) return;
    const parsed = StoreSetupInput.safeParse(toInput(form));
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    setSaved(false);
    try {
      await saveStoreSetup(api, parsed.data, record.etag);
      setSaved(true);
      edit.retry();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const addBay = () => {
    if (newBay.id.trim() === '' || newBay.name.trim() === '') return;
    setSetup({ bays: [...s.bays, { ...newBay, id: newBay.id.trim(), name: newBay.name.trim() }] });
    setNewBay({ id: '', name: '', type: newBay.type, active: true });
  };

  const order = [
    ...Weekday.options.map((d) => `openingHours.${d}.close`),
    ...s.bays.map((_, i) => `bays.${i}.id`),
    ...Payer.options.map((p) => `labourRates.${p}.amountMinor`),
    'taxRateBp',
    ...s.holidays.flatMap((_, i) => [`holidays.${i}.date`, `holidays.${i}.name`]),
    ...form.intervals.flatMap((_, i) =>
      ['brand', 'model', 'km', 'months'].map((k) => `serviceIntervals.${i}.${k}`),
    ),
    ...s.papers.flatMap((_, i) => [`papers.${i}.code`, `papers.${i}.name.zh`, `papers.${i}.name.en`]),
  ];
  const setIntervals = (intervals: IntervalRow[]) => setForm((f) => ({ ...f, intervals }));

  const readOnlyLists = (
    <>
      <Section title={t('setup.holidays')}>
        {s.holidays.length === 0 ? (
          <p class="muted">{t('setup.noHolidays')}</p>
        ) : (
          <ul>
            {s.holidays.map((h) => (
              <li key={h.date}>
                {h.date} {h.name ?? ''}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('setup.intervals')}>
        {s.serviceIntervals.length === 0 ? (
          <p class="muted">{t('setup.noIntervals')}</p>
        ) : (
          <ul>
            {s.serviceIntervals.map((i) => (
              <li key={`${i.brand}/${i.model ?? ''}`}>
                {i.brand} {i.model ?? t('setup.brandDefault')}:{' '}
                {t('setup.interval', { km: i.km.toLocaleString(), months: i.months })}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('setup.papers')}>
        <ul>
          {s.papers.map((p) => (
            <li key={p.code}>
              {p.name.zh}
              {p.name.en ? ` · ${p.name.en}` : ''}
            </li>
          ))}
        </ul>
      </Section>
    </>
  );

  if (!manage)
    return (
      <div class="page">
        <PageHeader title={t('setup.title')} />
        <Notice kind="info">{t('setup.readOnly')}</Notice>
        <Section title={t('setup.hours')}>
          <p>
            {t('setup.timeZone')}: {s.timeZone}
          </p>
          <ul>
            {Weekday.options.map((d) => {
              const day = s.openingHours[d];
              return (
                <li key={d}>
                  {m.weekdays[d]}: {day ? `${day.open}–${day.close}` : t('setup.closed')}
                </li>
              );
            })}
          </ul>
        </Section>
        <Section title={t('setup.bays')}>
          {s.bays.length === 0 ? (
            <p class="muted">{t('setup.noBays')}</p>
          ) : (
            <ul>
              {s.bays.map((b) => (
                <li key={b.id}>
                  {b.id} {b.name} · {m.bayTypes[b.type]}
                  {b.active ? '' : ` · ${t('labourOp.inactive')}`}
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title={t('setup.rates')}>
          <ul>
            {Payer.options.map((p) => (
              <li key={p}>
                {m.payers[p]}: ¥{(s.labourRates[p].amountMinor / 100).toFixed(2)}
              </li>
            ))}
            <li>
              {t('setup.taxRate')}: {s.taxRateBp / 100}
            </li>
          </ul>
        </Section>
        {readOnlyLists}
      </div>
    );

  return (
    <div class="page">
      <PageHeader title={t('setup.title')} />
      <ValidatedForm
        errors={errors}
        order={order}
        onSubmit={submit}
        conflict={edit.conflict(t('conflict.setup'))}
      >
        {saved && <Notice kind="success">{t('setup.saved')}</Notice>}
        <Section title={t('setup.hours')}>
          <TextField
            label={t('setup.timeZone')}
            value={s.timeZone}
            onValue={(v) => setSetup({ timeZone: v })}
            field="timeZone"
          />
          {Weekday.options.map((d) => (
            <fieldset class="field" key={d}>
              <legend>{m.weekdays[d]}</legend>
              <div class="grid-3">
                <Checkbox
                  label={t('setup.closed')}
                  checked={form.hours[d].closed}
                  onValue={(closed) => setDay(d, { closed })}
                />
                {!form.hours[d].closed && (
                  <>
                    <TextField
                      label={`${m.weekdays[d]} ${t('setup.open')}`}
                      type="time"
                      value={form.hours[d].open}
                      onValue={(open) => setDay(d, { open })}
                      field={`openingHours.${d}.open`}
                    />
                    <TextField
                      label={`${m.weekdays[d]} ${t('setup.close')}`}
                      type="time"
                      value={form.hours[d].close}
                      onValue={(close) => setDay(d, { close })}
                      field={`openingHours.${d}.close`}
                    />
                  </>
                )}
              </div>
            </fieldset>
          ))}
        </Section>
        <Section title={t('setup.bays')}>
          {s.bays.length === 0 && <p class="muted">{t('setup.noBays')}</p>}
          {s.bays.map((b, i) => (
            <div class="phone-row" key={`${b.id}-${i}`}>
              <TextField
                class="grow"
                label={`${t('setup.bayName')} ${b.id}`}
                value={b.name}
                field={`bays.${i}.name`}
                onValue={(name) => setSetup({ bays: s.bays.map((x, j) => (j === i ? { ...x, name } : x)) })}
              />
              <SelectField
                label={`${t('setup.bayType')} ${b.id}`}
                value={b.type}
                options={optionsOf(BayType.options, m.bayTypes)}
                onValue={(type) => setSetup({ bays: s.bays.map((x, j) => (j === i ? { ...x, type } : x)) })}
              />
              <Checkbox
                label={`${t('setup.bayActive')} ${b.id}`}
                checked={b.active}
                onValue={(active) =>
                  setSetup({ bays: s.bays.map((x, j) => (j === i ? { ...x, active } : x)) })
                }
              />
              <button
                type="button"
                class="btn btn-quiet align-end"
                onClick={() => setSetup({ bays: s.bays.filter((_, j) => j !== i) })}
              >
                {t('setup.removeBay', { id: b.id })}
              </button>
            </div>
          ))}
          <div class="phone-row">
            <TextField
              label={t('setup.bayId')}
              value={newBay.id}
              maxLength={20}
              onValue={(id) => setNewBay({ ...newBay, id })}
            />
            <TextField
              class="grow"
              label={t('setup.bayName')}
              value={newBay.name}
              maxLength={40}
              onValue={(name) => setNewBay({ ...newBay, name })}
            />
            <SelectField
              label={t('setup.bayType')}
              value={newBay.type}
              options={optionsOf(BayType.options, m.bayTypes)}
              onValue={(type) => setNewBay({ ...newBay, type })}
            />
            <button type="button" class="btn align-end" onClick={addBay}>
              {t('setup.addBay')}
            </button>
          </div>
        </Section>
        <Section title={t('setup.rates')}>
          <div class="grid-2">
            {Payer.options.map((p) => (
              <TextField
                key={p}
                label={t('setup.ratePerHour', { payer: m.payers[p] })}
                inputMode="decimal"
                value={form.rates[p]}
                onValue={(v) => setForm((f) => ({ ...f, rates: { ...f.rates, [p]: v } }))}
                field={`labourRates.${p}.amountMinor`}
              />
            ))}
            <TextField
              label={t('setup.taxRate')}
              inputMode="decimal"
              value={form.taxPercent}
              onValue={(v) => setForm((f) => ({ ...f, taxPercent: v }))}
              field="taxRateBp"
            />
          </div>
        </Section>
        <Section title={t('setup.holidays')}>
          <RowList<Holiday>
            rows={s.holidays}
            onRows={(holidays) => setSetup({ holidays })}
            blank={() => ({ date: '', name: '' })}
            addLabel={t('setup.addHoliday')}
            removeLabel={(i) => t('setup.removeHoliday', { n: i + 1 })}
            empty={t('setup.noHolidays')}
            render={(h, i, set) => (
              <>
                <TextField
                  label={t('setup.holidayDate', { n: i + 1 })}
                  type="date"
                  value={h.date}
                  onValue={(date) => set({ date })}
                  field={`holidays.${i}.date`}
                  required
                />
                <TextField
                  class="grow"
                  label={t('setup.holidayName', { n: i + 1 })}
                  value={h.name ?? ''}
                  maxLength={60}
                  onValue={(name) => set({ name })}
                  field={`holidays.${i}.name`}
                />
              </>
            )}
          />
        </Section>
        <Section title={t('setup.intervals')}>
          <RowList<IntervalRow>
            rows={form.intervals}
            onRows={setIntervals}
            blank={() => ({ brand: '', model: '', km: '10000', months: '12' })}
            addLabel={t('setup.addInterval')}
            removeLabel={(i) => t('setup.removeInterval', { n: i + 1 })}
            empty={t('setup.noIntervals')}
            render={(row, i, set) => (
              <>
                <TextField
                  label={t('setup.intervalBrand', { n: i + 1 })}
                  value={row.brand}
                  maxLength={40}
                  onValue={(brand) => set({ brand })}
                  field={`serviceIntervals.${i}.brand`}
                  required
                />
                <TextField
                  label={t('setup.intervalModel', { n: i + 1 })}
                  value={row.model}
                  maxLength={60}
                  onValue={(model) => set({ model })}
                  field={`serviceIntervals.${i}.model`}
                  hint={t('setup.intervalModelHint')}
                />
                <TextField
                  label={t('setup.intervalKm', { n: i + 1 })}
                  inputMode="numeric"
                  value={row.km}
                  onValue={(km) => set({ km })}
                  field={`serviceIntervals.${i}.km`}
                  required
                />
                <TextField
                  label={t('setup.intervalMonths', { n: i + 1 })}
                  inputMode="numeric"
                  value={row.months}
                  onValue={(months) => set({ months })}
                  field={`serviceIntervals.${i}.months`}
                  required
                />
              </>
            )}
          />
        </Section>
        <Section title={t('setup.papers')}>
          <RowList<Paper>
            rows={s.papers}
            onRows={(papers) => setSetup({ papers })}
            blank={() => ({ code: '', name: { zh: '' } })}
            addLabel={t('setup.addPaper')}
            removeLabel={(i) => t('setup.removePaper', { n: i + 1 })}
            render={(p, i, set) => (
              <>
                <TextField
                  label={t('setup.paperCode', { n: i + 1 })}
                  value={p.code}
                  maxLength={30}
                  onValue={(code) => set({ code })}
                  field={`papers.${i}.code`}
                  required
                />
                <TextField
                  class="grow"
                  label={t('setup.paperZh', { n: i + 1 })}
                  value={p.name.zh}
                  maxLength={80}
                  onValue={(zh) => set({ name: { ...p.name, zh } })}
                  field={`papers.${i}.name.zh`}
                  required
                />
                <TextField
                  class="grow"
                  label={t('setup.paperEn', { n: i + 1 })}
                  value={p.name.en ?? ''}
                  maxLength={80}
                  onValue={(en) => set({ name: { ...p.name, en } })}
                  field={`papers.${i}.name.en`}
                />
              </>
            )}
          />
        </Section>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('form.saving') : t('form.saveChanges')}
          </button>
        </div>
      </ValidatedForm>
    </div>
  );
}
