import { MANUAL_KINDS, MovementRequest, type StockDocumentType } from '@aftersales/domain';
import { useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { Checkbox, SelectField, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { Notice } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { moveStock } from './stock-api.ts';

type Kind = (typeof MANUAL_KINDS)[number];
/** Kinds that hold stock for a document: `stock:reserve`; the others move it on the shelf: `stock:move`. */
const RESERVING: readonly Kind[] = ['reserve', 'release'];
const DOCUMENTS: readonly StockDocumentType[] = [
  'receipt',
  'purchase_order',
  'appointment',
  'repair_order',
  'requisition',
  'transfer',
  'opening',
];

interface FormState {
  kind: Kind;
  bin: string;
  toBin: string;
  quantity: string;
  documentType: StockDocumentType;
  documentId: string;
  fromReservation: boolean;
  oldPartReturned: boolean;
  reason: string;
}

const EMPTY: FormState = {
  kind: 'receive',
  bin: '',
  toBin: '',
  quantity: '1',
  documentType: 'receipt',
  documentId: '',
  fromReservation: false,
  oldPartReturned: false,
  reason: '',
};

/** The body a kind takes (the request is a union on `kind`: each kind names only its own fields). */
function toRequest(f: FormState): unknown {
  const quantity = Number(f.quantity);
  const document = { type: f.documentType, id: f.documentId.trim() };
  const reason = f.reason.trim() ? { reason: f.reason.trim() } : {};
  switch (f.kind) {
    case 'transfer':
      return { kind: f.kind, bin: f.bin, toBin: f.toBin, quantity, ...reason };
    case 'reserve':
    case 'release':
      return { kind: f.kind, quantity, document, ...reason };
    case 'issue':
      return {
        kind: f.kind,
        bin: f.bin,
        quantity,
        document,
        fromReservation: f.fromReservation,
        ...(f.documentType === 'repair_order' ? { oldPartReturned: f.oldPartReturned } : {}),
        ...reason,
      };
    default:
      return { kind: f.kind, bin: f.bin, quantity, document, ...reason };
  }
}

/**
 * 出入库登记: posts one movement of a part (receive, issue, return, transfer, reserve, release). For the
 * part page to embed; a role that may only reserve (an advisor) is offered reserve and release alone,
 * and a role with neither sees nothing it could not post.
 */
export function MovementForm({ partId, onPosted }: { partId: string; onPosted?: () => void }) {
  const { t, m } = useI18n();
  const { api, can } = useStore();
  const kinds = MANUAL_KINDS.filter((k) =>
    RESERVING.includes(k) ? can('stock:reserve') : can('stock:move'),
  );
  const errors = useFormErrors();
  const [form, setForm] = useState<FormState>({ ...EMPTY, kind: kinds[0] ?? 'receive' });
  const [busy, setBusy] = useState(false);
  const [posted, setPosted] = useState<string>();
  const idempotencyKey = useIdempotencyKey();
  if (kinds.length === 0) return null;
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const hasBin = form.kind !== 'reserve' && form.kind !== 'release';
  const hasDocument = form.kind !== 'transfer';

  const submit = async () => {
    if (busy) return;
    setPosted(undefined);
    const parsed = MovementRequest.safeParse(toRequest(form));
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      const body = toRequest(form) as MovementRequest;
      const moved = await moveStock(api, partId, body, idempotencyKey(body));
      setPosted(t('stock.posted', { kind: t(`stock.kind.${form.kind}`), quantity: moved.quantity }));
      setForm({ ...EMPTY, kind: form.kind, documentType: form.documentType });
      onPosted?.();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ValidatedForm
      errors={errors}
      order={[
        'kind',
        'bin',
        'toBin',
        'quantity',
        'document.type',
        'document.id',
        'oldPartReturned',
        'reason',
      ]}
      onSubmit={submit}
      notices={posted && <Notice kind="success">{posted}</Notice>}
    >
      <div class="grid-3">
        <SelectField
          label={t('stock.kind')}
          field="kind"
          value={form.kind}
          options={kinds.map((k) => ({ value: k, label: t(`stock.kind.${k}`) }))}
          onValue={(kind) => set({ kind })}
        />
        {hasBin && (
          <TextField
            label={t('stock.fromBin')}
            field="bin"
            value={form.bin}
            hint={t('stock.binHint')}
            maxLength={19}
            required
            onValue={(bin) => set({ bin })}
          />
        )}
        {form.kind === 'transfer' && (
          <TextField
            label={t('stock.toBin')}
            field="toBin"
            value={form.toBin}
            maxLength={19}
            required
            onValue={(toBin) => set({ toBin })}
          />
        )}
        <TextField
          label={t('stock.quantity')}
          field="quantity"
          type="number"
          min={1}
          inputMode="numeric"
          value={form.quantity}
          required
          onValue={(quantity) => set({ quantity })}
        />
        {hasDocument && (
          <>
            <SelectField
              label={t('stock.documentType')}
              field="document.type"
              value={form.documentType}
              options={DOCUMENTS.map((d) => ({ value: d, label: t(`stock.doc.${d}`) }))}
              onValue={(documentType) => set({ documentType })}
            />
            <TextField
              label={t('stock.documentId')}
              field="document.id"
              value={form.documentId}
              maxLength={60}
              required
              onValue={(documentId) => set({ documentId })}
            />
          </>
        )}
        <TextField
          label={t('stock.reason')}
          field="reason"
          value={form.reason}
          maxLength={300}
          onValue={(reason) => set({ reason })}
        />
      </div>
      {form.kind === 'issue' && (
        <Checkbox
          label={t('stock.fromReservation')}
          checked={form.fromReservation}
          onValue={(fromReservation) => set({ fromReservation })}
        />
      )}
      {form.kind === 'issue' && form.documentType === 'repair_order' && (
        <Checkbox
          label={t('stock.oldPartReturned')}
          checked={form.oldPartReturned}
          onValue={(oldPartReturned) => set({ oldPartReturned })}
        />
      )}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('stock.post')}
        </button>
      </div>
    </ValidatedForm>
  );
}
