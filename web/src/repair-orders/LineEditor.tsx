import type { Schemas } from '@aftersales/api-client';
import { LineWorkRequest, Payer } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { ConflictNotice } from '../components/conflict.tsx';
import { optionsOf } from '../components/FormField.tsx';
import { SelectField, TextArea, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import {
  CODED_PAYERS,
  FaultFields,
  type FaultForm,
  faultFieldOrder,
  faultFormOf,
  faultOf,
} from '../lemon-law/index.ts';
import { PartPicker, type PickedPart } from '../parts/PartPicker.tsx';
import { listLabourOps } from '../setup/api.ts';
import { RowList } from '../setup/RowList.tsx';
import type { JobLine } from './api.ts';
import { fenOf, nameIn } from './shared.tsx';

type PayerName = (typeof Payer.options)[number];
/** A catalogue operation on the line: shown by code, name and hours; sent by its id. */
interface OpRow {
  labourOpId: string;
  code: string;
  name: string;
  hours: number;
}
interface PartRow {
  part: PickedPart | null;
  quantity: string;
  /** ¥ as typed; empty is the catalogue's list price. */
  unitPrice: string;
}
interface ConsumableRow {
  name: string;
  amount: string;
}
interface Form {
  complaint: string;
  cause: string;
  correction: string;
  payer: PayerName;
  ops: OpRow[];
  parts: PartRow[];
  consumables: ConsumableRow[];
  /** % as typed (10 is 1000 basis points). */
  discount: string;
  /** 故障编码 of warranty and goodwill work (三包). */
  fault: FaultForm;
}

const yuanText = (minor: number) => (minor / 100).toFixed(2);

function formOf(line: JobLine | undefined, locale: string): Form {
  return {
    complaint: line?.complaint ?? '',
    cause: line?.cause ?? '',
    correction: line?.correction ?? '',
    payer: line?.payer ?? 'customer',
    ops: (line?.labour ?? []).map((l) => ({
      labourOpId: l.labourOpId,
      code: l.code,
      name: nameIn(locale, l.name),
      hours: l.tenths / 10,
    })),
    parts: (line?.parts ?? []).map((p) => ({
      part: { id: p.partId, partNumber: p.partNumber, name: nameIn(locale, p.name) },
      quantity: String(p.quantity),
      unitPrice: yuanText(p.unitPrice.amountMinor),
    })),
    consumables: (line?.consumables ?? []).map((c) => ({
      name: c.name,
      amount: yuanText(c.amount.amountMinor),
    })),
    discount: line?.discountBp ? String(line.discountBp / 100) : '',
    fault: faultFormOf(line?.fault),
  };
}

const money = (amountMinor: number) => ({ amountMinor, currency: 'CNY' as const });

/** The form as the line's work: operations and parts by catalogue id, money in fen. */
function workOf(f: Form) {
  const discount = f.discount.trim() === '' ? 0 : Math.round(Number(f.discount) * 100);
  return {
    complaint: f.complaint,
    ...(f.cause.trim() ? { cause: f.cause } : {}),
    ...(f.correction.trim() ? { correction: f.correction } : {}),
    payer: f.payer,
    labour: f.ops.map((o) => ({ labourOpId: o.labourOpId })),
    parts: f.parts.map((p) => ({
      partId: p.part?.id ?? '',
      quantity: p.quantity.trim() === '' ? Number.NaN : Number(p.quantity),
      ...(p.unitPrice.trim() ? { unitPrice: money(fenOf(p.unitPrice)) } : {}),
    })),
    consumables: f.consumables.map((c) => ({ name: c.name, amount: money(fenOf(c.amount)) })),
    discountBp: discount,
    ...(CODED_PAYERS.includes(f.payer) ? faultOf(f.fault) : {}),
  };
}

/** Finds operations of the store's catalogue by the start of their code and adds them to the line. */
function LabourOps({ ops, onOps }: { ops: OpRow[]; onOps: (ops: OpRow[]) => void }) {
  const { t, locale } = useI18n();
  const { api } = useStore();
  const [prefix, setPrefix] = useState('');
  const found = useLoad(
    useCallback(
      () =>
        prefix.trim()
          ? listLabourOps(api, { code: prefix.trim().toUpperCase(), limit: 8 })
          : Promise.resolve({ items: [] as Schemas['LabourOp'][] }),
      [api, prefix],
    ),
  );
  const candidates = (found.data?.items ?? []).filter(
    (op) => op.active && !ops.some((o) => o.labourOpId === op.id),
  );
  return (
    <fieldset class="field" data-field="labour">
      <legend>{t('ro.labour')}</legend>
      {ops.length === 0 ? (
        <p class="muted">{t('ro.noLabour')}</p>
      ) : (
        <ul class="chosen-ops">
          {ops.map((op, i) => (
            <li key={op.labourOpId} data-field={`labour.${i}.labourOpId`}>
              {op.code} {op.name} · {op.hours.toFixed(1)} h{' '}
              <button
                type="button"
                class="btn btn-small btn-quiet"
                onClick={() => onOps(ops.filter((o) => o !== op))}
              >
                {t('ro.labourRemove', { code: op.code })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <TextField label={t('ro.labourFind')} value={prefix} maxLength={20} onValue={setPrefix} />
      {found.error !== null && <ErrorNotice error={found.error} />}
      {candidates.map((op) => {
        const row = { labourOpId: op.id, code: op.code, name: nameIn(locale, op.name), hours: op.hours };
        return (
          <button
            key={op.id}
            type="button"
            class="btn btn-small"
            onClick={() => {
              onOps([...ops, row]);
              setPrefix('');
            }}
          >
            {t('ro.labourAdd', { code: op.code, name: row.name, hours: op.hours.toFixed(1) })}
          </button>
        );
      })}
    </fieldset>
  );
}

/**
 * A job line's work (3C, payer, labour from the catalogue, parts, consumables, discount), saved whole
 * with the order's If-Match: `save` is the page's change (PUT a line, or POST a new one).
 */
export function LineEditor({
  line,
  stale,
  onReload,
  save,
  onClose,
}: {
  /** Absent for a new line. */
  line?: JobLine | undefined;
  /** The order changed under the editor (409 VERSION_CONFLICT): reload before saving again. */
  stale: boolean;
  onReload: () => void;
  save: (work: Schemas['LineWorkRequest']) => Promise<void>;
  onClose: () => void;
}) {
  const { t, m, locale } = useI18n();
  const errors = useFormErrors();
  const [form, setForm] = useState<Form>(() => formOf(line, locale));
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const title = line ? t('ro.editLine', { id: line.id }) : t('ro.newLine');

  const submit = async () => {
    if (busy) return;
    const parsed = LineWorkRequest.safeParse(workOf(form));
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      await save(parsed.data);
      onClose();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const order = [
    'complaint',
    'cause',
    'correction',
    'payer',
    'labour',
    ...form.ops.map((_, i) => `labour.${i}.labourOpId`),
    ...form.parts.flatMap((_, i) => [`parts.${i}.partId`, `parts.${i}.quantity`, `parts.${i}.unitPrice`]),
    ...form.consumables.flatMap((_, i) => [`consumables.${i}.name`, `consumables.${i}.amount`]),
    'discountBp',
    ...(CODED_PAYERS.includes(form.payer) ? faultFieldOrder(form.fault) : []),
  ];

  return (
    <section class="line-editor" aria-label={title}>
      <h3>{title}</h3>
      <ValidatedForm
        errors={errors}
        order={order}
        onSubmit={submit}
        notices={stale && <ConflictNotice text={t('ro.reloaded')} onReload={onReload} />}
      >
        <TextArea
          label={t('ro.complaint')}
          field="complaint"
          value={form.complaint}
          onValue={(v) => set('complaint', v)}
          rows={2}
          maxLength={500}
        />
        <div class="grid-2">
          <TextArea
            label={t('ro.cause')}
            field="cause"
            value={form.cause}
            onValue={(v) => set('cause', v)}
            rows={2}
            maxLength={500}
          />
          <TextArea
            label={t('ro.correction')}
            field="correction"
            value={form.correction}
            onValue={(v) => set('correction', v)}
            rows={2}
            maxLength={500}
          />
        </div>
        <div class="grid-2">
          <SelectField
            label={t('ro.payer')}
            field="payer"
            value={form.payer}
            options={optionsOf(Payer.options, m.payers)}
            onValue={(v) => set('payer', v)}
          />
          <TextField
            label={t('ro.discount')}
            field="discountBp"
            value={form.discount}
            onValue={(v) => set('discount', v)}
            inputMode="decimal"
          />
        </div>
        {CODED_PAYERS.includes(form.payer) && (
          <FaultFields value={form.fault} onValue={(fault) => set('fault', fault)} />
        )}
        <LabourOps ops={form.ops} onOps={(ops) => set('ops', ops)} />
        <fieldset class="field">
          <legend>{t('ro.parts')}</legend>
          <RowList<PartRow>
            rows={form.parts}
            onRows={(rows) => set('parts', rows)}
            blank={() => ({ part: null, quantity: '1', unitPrice: '' })}
            addLabel={t('ro.addPart')}
            removeLabel={(i) => t('ro.removePart', { n: i + 1 })}
            empty={t('ro.noParts')}
            render={(row, i, setRow) => (
              <>
                <div class="grow">
                  <PartPicker
                    label={t('ro.part', { n: i + 1 })}
                    field={`parts.${i}.partId`}
                    value={row.part}
                    onChange={(part) => setRow({ part })}
                  />
                </div>
                <TextField
                  label={t('ro.partQty', { n: i + 1 })}
                  field={`parts.${i}.quantity`}
                  value={row.quantity}
                  onValue={(quantity) => setRow({ quantity })}
                  inputMode="numeric"
                />
                <TextField
                  label={t('ro.partPrice', { n: i + 1 })}
                  field={`parts.${i}.unitPrice`}
                  value={row.unitPrice}
                  onValue={(unitPrice) => setRow({ unitPrice })}
                  inputMode="decimal"
                />
              </>
            )}
          />
        </fieldset>
        <fieldset class="field">
          <legend>{t('ro.consumables')}</legend>
          <RowList<ConsumableRow>
            rows={form.consumables}
            onRows={(rows) => set('consumables', rows)}
            blank={() => ({ name: '', amount: '' })}
            addLabel={t('ro.addConsumable')}
            removeLabel={(i) => t('ro.removeConsumable', { n: i + 1 })}
            render={(row, i, setRow) => (
              <>
                <TextField
                  class="grow"
                  label={t('ro.consumable', { n: i + 1 })}
                  field={`consumables.${i}.name`}
                  value={row.name}
                  onValue={(name) => setRow({ name })}
                  maxLength={60}
                />
                <TextField
                  label={t('ro.consumableAmount', { n: i + 1 })}
                  field={`consumables.${i}.amount`}
                  value={row.amount}
                  onValue={(amount) => setRow({ amount })}
                  inputMode="decimal"
                />
              </>
            )}
          />
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t('ro.saveLine')}
          </button>
          <button type="button" class="btn btn-quiet" onClick={onClose}>
            {t('ro.closeEditor')}
          </button>
        </div>
      </ValidatedForm>
    </section>
  );
}
