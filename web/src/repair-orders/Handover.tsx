import {
  DeliveryInput,
  isLemonLawVisit,
  type LemonLawDays,
  OldPartsOutcome,
  PaymentMethod,
  RepairOrderSettlementInput,
  settlementShares,
} from '@aftersales/domain';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { optionsOf } from '../components/FormField.tsx';
import {
  Checkbox,
  SelectField,
  TextArea,
  TextField,
  useFormErrors,
  ValidatedForm,
} from '../components/forms.tsx';
import { Facts, Notice, Section } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { RowList } from '../setup/RowList.tsx';
import type { RepairOrder } from './api.ts';
import { PayerTotalsTable } from './Quotes.tsx';
import { fen, fenOf } from './shared.tsx';

type Method = (typeof PaymentMethod.options)[number];
interface PaymentRow {
  method: Method;
  reference: string;
  amount: string;
}

/** A form's submit: busy while it runs, the server's refusal on the form (its field errors by field). */
function useSubmit() {
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  const run = async (send: () => Promise<void>, onRefused?: (err: unknown) => boolean) => {
    if (busy) return;
    errors.set({});
    setBusy(true);
    try {
      await send();
    } catch (err) {
      if (!onRefused?.(err)) errors.refused(err);
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, run };
}

/**
 * 结算 of a ready order: the shares per payer as the server will split them (the domain's own rule),
 * and the customer's payments, which must add up to the customer's share to the fen.
 */
export function SettlementForm({
  ro,
  settle,
}: {
  ro: RepairOrder;
  settle: (input: { payments: RepairOrderSettlementInput['payments'] }) => Promise<void>;
}) {
  const { t, m } = useI18n();
  const shares = settlementShares(ro);
  const due = shares.find((s) => s.payer === 'customer')?.total ?? 0;
  const [rows, setRows] = useState<PaymentRow[]>(() =>
    due > 0 ? [{ method: 'wechat', reference: '', amount: (due / 100).toFixed(2) }] : [],
  );
  const [mismatch, setMismatch] = useState<{ due: number; paid: number } | null>(null);
  const { errors, busy, run } = useSubmit();
  const paid = rows.reduce((sum, r) => sum + (fenOf(r.amount) || 0), 0);

  const submit = () => {
    setMismatch(null);
    const payments = rows.map((r) => ({
      method: r.method,
      ...(r.reference.trim() ? { reference: r.reference } : {}),
      amount: { amountMinor: fenOf(r.amount), currency: 'CNY' as const },
    }));
    const parsed = RepairOrderSettlementInput.safeParse({ payments });
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    void run(
      () => settle(parsed.data),
      (err) => {
        if (!(err instanceof ApiError) || err.code !== 'PAYMENT_MISMATCH') return false;
        setMismatch({ due: Number(err.extra.due), paid: Number(err.extra.paid) });
        return true;
      },
    );
  };

  return (
    <Section title={t('ro.settlement')}>
      <PayerTotalsTable rows={shares} caption={t('ro.shares')} />
      <p>{t('ro.customerDue', { amount: fen(due) })}</p>
      <ValidatedForm
        errors={errors}
        order={rows.flatMap((_, i) => [
          `payments.${i}.method`,
          `payments.${i}.reference`,
          `payments.${i}.amount`,
        ])}
        onSubmit={submit}
        notices={
          mismatch && (
            <Notice kind="error">
              {m.errorCodes.PAYMENT_MISMATCH}{' '}
              {t('ro.mismatch', { paid: fen(mismatch.paid), due: fen(mismatch.due) })}
            </Notice>
          )
        }
      >
        <fieldset class="field">
          <legend>{t('ro.payments')}</legend>
          <RowList<PaymentRow>
            rows={rows}
            onRows={setRows}
            blank={() => ({ method: 'cash', reference: '', amount: '' })}
            addLabel={t('ro.addPayment')}
            removeLabel={(i) => t('ro.removePayment', { n: i + 1 })}
            render={(row, i, setRow) => (
              <>
                <SelectField
                  label={t('ro.paymentMethod', { n: i + 1 })}
                  field={`payments.${i}.method`}
                  value={row.method}
                  options={optionsOf(PaymentMethod.options, m.roPaymentMethods)}
                  onValue={(method) => setRow({ method })}
                />
                <TextField
                  class="grow"
                  label={t('ro.paymentReference', { n: i + 1 })}
                  field={`payments.${i}.reference`}
                  value={row.reference}
                  onValue={(reference) => setRow({ reference })}
                  maxLength={80}
                />
                <TextField
                  label={t('ro.paymentAmount', { n: i + 1 })}
                  field={`payments.${i}.amount`}
                  value={row.amount}
                  onValue={(amount) => setRow({ amount })}
                  inputMode="decimal"
                />
              </>
            )}
          />
        </fieldset>
        <p aria-live="polite">{t('ro.paid', { paid: fen(paid), due: fen(due) })}</p>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t('ro.settle')}
          </button>
        </div>
      </ValidatedForm>
    </Section>
  );
}

/** A settled order's shares, their outcomes (paid, claimable…) and the customer's payments. */
export function SettlementFacts({ settlement }: { settlement: NonNullable<RepairOrder['settlement']> }) {
  const { t, m } = useI18n();
  return (
    <Section title={t('ro.settlement')}>
      <PayerTotalsTable rows={settlement.shares} caption={t('ro.shares')} />
      <Facts
        items={[
          ...settlement.shares.map((s): [string, string] => [
            m.payers[s.payer],
            m.roShareOutcomes[s.outcome],
          ]),
          ...settlement.payments.map((p, i): [string, string] => [
            t('ro.paymentMethod', { n: i + 1 }),
            `${m.roPaymentMethods[p.method]} ${p.reference ?? ''} ${fen(p.amount.amountMinor)}`,
          ]),
        ]}
      />
      <p class="muted">{t('ro.settledBy', { name: settlement.settledBy.name })}</p>
    </Section>
  );
}

interface DeliveryForm {
  keysHandedOver: boolean;
  valuablesReturned: boolean;
  workExplained: boolean;
  oldParts: (typeof OldPartsOutcome.options)[number];
  note: string;
  /** 三包除外天数 as typed (whole days; empty is 0). */
  lemonLaw: Record<keyof LemonLawDays, string>;
}

const LEMON_LAW_FIELDS = ['excludedPartWaitDays', 'batteryShippingDays', 'loanerDays'] as const;

/** The days as the schema takes them: empty fields left out (0), the rest as numbers the schema checks. */
function lemonLawOf(typed: DeliveryForm['lemonLaw']): Partial<Record<keyof LemonLawDays, number>> {
  return Object.fromEntries(
    LEMON_LAW_FIELDS.filter((k) => typed[k].trim() !== '').map((k) => [k, Number(typed[k])]),
  );
}

/**
 * 交车 of a settled order: the checklist ticked with the customer, and what became of the old parts. A
 * 三包 visit (warranty or goodwill work done) also states the days its repair days leave out.
 */
export function DeliveryFormSection({
  ro,
  deliver,
}: {
  ro: RepairOrder;
  deliver: (input: DeliveryInput) => Promise<void>;
}) {
  const { t, m } = useI18n();
  const { errors, busy, run } = useSubmit();
  const lemonVisit = isLemonLawVisit(ro);
  const [form, setForm] = useState<DeliveryForm>({
    keysHandedOver: false,
    valuablesReturned: false,
    workExplained: false,
    oldParts: 'none',
    note: '',
    lemonLaw: { excludedPartWaitDays: '', batteryShippingDays: '', loanerDays: '' },
  });
  const set = <K extends keyof DeliveryForm>(key: K, value: DeliveryForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const submit = () => {
    const { note, lemonLaw: typed, ...rest } = form;
    const lemonLaw = lemonVisit ? lemonLawOf(typed) : {};
    const parsed = DeliveryInput.safeParse({
      ...rest,
      ...(note.trim() ? { note } : {}),
      ...(Object.keys(lemonLaw).length ? { lemonLaw } : {}),
    });
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    void run(() => deliver(parsed.data));
  };

  return (
    <Section title={t('ro.delivery')}>
      <ValidatedForm
        errors={errors}
        order={[
          'keysHandedOver',
          'oldParts',
          'note',
          'lemonLaw',
          ...LEMON_LAW_FIELDS.map((k) => `lemonLaw.${k}`),
        ]}
        onSubmit={submit}
      >
        <div data-field="keysHandedOver">
          <Checkbox
            label={t('ro.keys')}
            checked={form.keysHandedOver}
            onValue={(v) => set('keysHandedOver', v)}
          />
        </div>
        <Checkbox
          label={t('ro.valuables')}
          checked={form.valuablesReturned}
          onValue={(v) => set('valuablesReturned', v)}
        />
        <Checkbox
          label={t('ro.workExplained')}
          checked={form.workExplained}
          onValue={(v) => set('workExplained', v)}
        />
        <SelectField
          label={t('ro.oldParts')}
          field="oldParts"
          value={form.oldParts}
          options={optionsOf(OldPartsOutcome.options, m.roOldParts)}
          onValue={(v) => set('oldParts', v)}
        />
        <TextArea
          label={t('ro.deliveryNote')}
          field="note"
          value={form.note}
          onValue={(v) => set('note', v)}
        />
        {lemonVisit && (
          <fieldset class="field">
            <legend>{t('ro.lemonLaw')}</legend>
            <p class="hint">{t('ro.lemonLawHint')}</p>
            {LEMON_LAW_FIELDS.map((k) => (
              <TextField
                key={k}
                label={t(`ro.lemonLaw.${k}`)}
                field={`lemonLaw.${k}`}
                type="number"
                min={0}
                step={1}
                inputMode="numeric"
                placeholder="0"
                value={form.lemonLaw[k]}
                onValue={(v) => set('lemonLaw', { ...form.lemonLaw, [k]: v })}
              />
            ))}
          </fieldset>
        )}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t('ro.deliver')}
          </button>
        </div>
      </ValidatedForm>
    </Section>
  );
}
