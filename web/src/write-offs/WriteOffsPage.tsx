import { WriteOffCondition, WriteOffInput } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link, navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import {
  Checkbox,
  SelectField,
  TextArea,
  TextField,
  useFormErrors,
  ValidatedForm,
} from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Badge, Notice, PageHeader, Section } from '../components/ui.tsx';
import { optional, schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { listWriteOffs, requestWriteOff, type WriteOff } from './api.ts';
import { yuan } from './money.ts';

const FORM = {
  partNumber: '',
  bin: '',
  quantity: '1',
  condition: 'damaged' as WriteOffCondition,
  notRecoverable: false,
  reason: '',
  causedBy: '',
};
const ORDER = ['partNumber', 'bin', 'quantity', 'condition', 'notRecoverable', 'reason', 'causedBy.name'];

export function WriteOffStatusBadge({ status }: { status: WriteOff['status'] }) {
  const { t } = useI18n();
  const kind = status === 'pending' ? 'warning' : status === 'posted' ? 'success' : 'neutral';
  return <Badge kind={kind}>{t(`wof.statuses.${status}`)}</Badge>;
}

/** 报损: the store's write-offs (pending first when asked); the warehouse asks for one. */
export function WriteOffsPage() {
  const { t, m, dateTime } = useI18n();
  const { api, can, href } = useStore();
  const asks = can('write_off:request');
  const [pendingOnly, setPendingOnly] = useState(false);
  const list = usePagedList<WriteOff>(
    useCallback(
      (cursor?: string) =>
        listWriteOffs(api, {
          ...(pendingOnly ? { status: 'pending' as const } : {}),
          ...(cursor ? { cursor } : {}),
        }),
      [api, pendingOnly],
    ),
  );
  const errors = useFormErrors();
  const [form, setForm] = useState(FORM);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useIdempotencyKey();
  const set =
    <K extends keyof typeof FORM>(key: K) =>
    (value: (typeof FORM)[K]) =>
      setForm((f) => ({ ...f, [key]: value }));

  const submit = async () => {
    if (busy) return;
    const person = optional(form.causedBy);
    const parsed = WriteOffInput.safeParse({
      partNumber: form.partNumber,
      bin: form.bin,
      quantity: Number(form.quantity),
      condition: form.condition,
      notRecoverable: form.notRecoverable,
      reason: form.reason,
      ...(person ? { causedBy: { name: person } } : {}),
    });
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    setBusy(true);
    try {
      const created = await requestWriteOff(api, parsed.data, idempotencyKey(parsed.data));
      navigate(href(`write-offs/${encodeURIComponent(created.data.id)}`));
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page page-wide">
      <PageHeader
        title={t('wof.title')}
        actions={<Link href={href('write-offs/policy')}>{t('wof.policy.link')}</Link>}
      />
      {!asks && <Notice kind="info">{t('wof.readOnly')}</Notice>}
      <Section title={t('nav.writeOffs')}>
        <Checkbox label={t('wof.pendingOnly')} checked={pendingOnly} onValue={setPendingOnly} />
        <ListTable
          {...list}
          columns={[
            {
              label: t('wof.part'),
              cell: (w) => (
                <Link href={href(`write-offs/${encodeURIComponent(w.id)}`)}>
                  {w.partNumber} {w.name.zh}
                </Link>
              ),
            },
            { label: t('wof.quantity'), num: true, cell: (w) => w.quantity },
            { label: t('wof.condition'), cell: (w) => t(`wof.conditions.${w.condition}`) },
            { label: t('wof.value'), num: true, cell: (w) => yuan(w.valueMinor) },
            { label: t('wof.approvals'), num: true, cell: (w) => `${w.approvals.length} / 3` },
            { label: t('wof.status'), cell: (w) => <WriteOffStatusBadge status={w.status} /> },
            { label: t('wof.requestedBy'), cell: (w) => `${w.requestedBy.name} ${dateTime(w.createdAt)}` },
          ]}
          rowKey={(w) => w.id}
          empty={t('wof.none')}
        />
      </Section>
      {asks && (
        <Section title={t('wof.request')}>
          <ValidatedForm errors={errors} order={ORDER} onSubmit={submit}>
            <div class="grid-3">
              <TextField
                label={t('wof.partNumber')}
                field="partNumber"
                value={form.partNumber}
                onValue={set('partNumber')}
                required
                maxLength={40}
              />
              <TextField
                label={t('wof.bin')}
                field="bin"
                value={form.bin}
                onValue={set('bin')}
                required
                maxLength={19}
                placeholder="A-03-2-05"
              />
              <TextField
                label={t('wof.quantity')}
                field="quantity"
                type="number"
                min={1}
                value={form.quantity}
                onValue={set('quantity')}
                required
              />
              <SelectField
                label={t('wof.condition')}
                field="condition"
                value={form.condition}
                options={WriteOffCondition.options.map((c) => ({
                  value: c,
                  label: t(`wof.conditions.${c}`),
                }))}
                onValue={set('condition')}
              />
            </div>
            <TextArea
              label={t('wof.reason')}
              field="reason"
              value={form.reason}
              onValue={set('reason')}
              maxLength={300}
            />
            <TextField
              label={t('wof.causedBy')}
              field="causedBy.name"
              value={form.causedBy}
              onValue={set('causedBy')}
              hint={t('wof.causedByHint')}
              maxLength={60}
            />
            <Checkbox
              label={t('wof.notRecoverable')}
              checked={form.notRecoverable}
              onValue={set('notRecoverable')}
            />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t('form.saving') : t('wof.requestButton')}
              </button>
            </div>
          </ValidatedForm>
        </Section>
      )}
    </div>
  );
}
