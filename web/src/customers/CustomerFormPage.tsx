import { type CustomerDetail, type CustomerFields, CustomerInput } from '@aftersales/domain';
import { useMemo, useState } from 'preact/hooks';
import { navigate, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useEditing } from '../components/editing.ts';
import {
  Checkbox,
  ChoiceGroup,
  SelectField,
  TextArea,
  TextField,
  ValidatedForm,
} from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { ErrorNotice, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { optional, schemaErrors } from '../components/validation.ts';
import { contactWindowLabel, useI18n } from '../i18n/index.tsx';
import { type CustomerChanges, createCustomer, getCustomer, rememberName, updateCustomer } from './api.ts';

type Kind = 'individual' | 'company';
type Label = NonNullable<CustomerInput['phones'][number]['label']>;
type Window = NonNullable<CustomerInput['preferredContactWindows']>[number];

interface FormState {
  kind: Kind;
  name: string;
  contactPerson: string;
  phones: { number: string; label: Label }[];
  email: string;
  windows: Window[];
  calls: boolean;
  messages: boolean;
  notes: string;
}

const WINDOWS: Window[] = ['morning', 'afternoon', 'evening'];
const LABELS: Label[] = ['mobile', 'home', 'work', 'other'];

function emptyForm(name = '', phone = ''): FormState {
  return {
    kind: 'individual',
    name,
    contactPerson: '',
    phones: [{ number: phone, label: 'mobile' }],
    email: '',
    windows: [],
    calls: true,
    messages: false,
    notes: '',
  };
}

function fromCustomer(c: CustomerDetail): FormState {
  return {
    kind: c.kind,
    name: c.name,
    contactPerson: c.contactPerson ?? '',
    phones: c.phones.map((p) => ({ number: p.number, label: p.label })),
    email: c.email ?? '',
    windows: [...c.preferredContactWindows],
    calls: c.consent.calls,
    messages: c.consent.messages,
    notes: c.notes ?? '',
  };
}

/** The form as the API's CustomerInput, every defaulted member given (empty optional fields left out). */
function toInput(f: FormState): CustomerFields {
  const input: CustomerFields = {
    kind: f.kind,
    name: f.name,
    phones: f.phones.filter((p) => p.number.trim() !== '').map((p) => ({ number: p.number, label: p.label })),
    preferredContactWindows: WINDOWS.filter((w) => f.windows.includes(w)),
    consent: { calls: f.calls, messages: f.messages },
  };
  const contactPerson = f.kind === 'company' ? optional(f.contactPerson) : undefined;
  if (contactPerson) input.contactPerson = contactPerson;
  const email = optional(f.email);
  if (email) input.email = email;
  const notes = optional(f.notes);
  if (notes) input.notes = notes;
  return input;
}

/** Fields that differ from the record being edited (phones left out when they are masked for this role). */
function changesOf(before: CustomerDetail, input: CustomerFields, f: FormState): CustomerChanges {
  const original = toInput(fromCustomer(before));
  const out: Record<string, unknown> = {};
  for (const key of [
    'kind',
    'name',
    'contactPerson',
    'phones',
    'email',
    'preferredContactWindows',
    'consent',
  ] as const) {
    if (key === 'phones' && before.phonesMasked) continue;
    // An emptied optional field is sent as null, which clears it.
    if (JSON.stringify(input[key]) !== JSON.stringify(original[key])) out[key] = input[key] ?? null;
  }
  if ((before.notes ?? '') !== f.notes.trim()) out.notes = f.notes.trim() || null;
  if (f.kind === 'company' && (before.contactPerson ?? '') !== f.contactPerson.trim())
    out.contactPerson = f.contactPerson.trim() || null;
  return out as CustomerChanges;
}

/** 新建客户 / 编辑客户. */
export function CustomerFormPage({ customerId }: { customerId?: string | undefined }) {
  const { t, m } = useI18n();
  const { api, href } = useStore();
  const { query } = useLocation();
  const editing = customerId !== undefined;
  const edit = useEditing({
    load: useMemo(() => (customerId ? () => getCustomer(api, customerId) : undefined), [api, customerId]),
    toForm: fromCustomer,
    initial: () => emptyForm(query.get('name') ?? '', query.get('phone') ?? ''),
  });
  const { record, form, errors, setForm } = edit;
  const [busy, setBusy] = useState(false);
  /** One key per distinct submission: a retry of the same form content reuses it, so no duplicate is created. */
  const idempotencyKey = useIdempotencyKey();

  if (edit.loadError) return <ErrorNotice error={edit.loadError} onRetry={edit.retry} />;
  if (!form || (editing && !record)) return <Loading />;

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const setPhone = (i: number, patch: Partial<FormState['phones'][number]>) =>
    setForm((f) => ({ ...f, phones: f.phones.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));

  const submit = async (then: 'view' | 'vehicle') => {
    if (busy) return;
    const input = toInput(form);
    const parsed = CustomerInput.safeParse(input);
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      if (editing && record && customerId) {
        const changes = changesOf(record.data, input, form);
        if (Object.keys(changes).length > 0) await updateCustomer(api, customerId, changes, record.etag);
        navigate(href(`customers/${customerId}`));
      } else {
        const created = await createCustomer(api, input, idempotencyKey(input));
        rememberName(api, created.data.id, created.data.name);
        navigate(
          then === 'vehicle'
            ? href(`vehicles/new?owner=${encodeURIComponent(created.data.id)}`)
            : href(`customers/${created.data.id}`),
        );
      }
    } catch (err) {
      errors.refused(err);
      setBusy(false);
    }
  };

  const masked = record?.data.phonesMasked ?? false;
  const order = [
    'kind',
    'name',
    'contactPerson',
    'notes',
    'phones',
    ...form.phones.map((_, i) => `phones.${i}.number`),
    'email',
  ];
  const title = editing ? t('customer.editTitle') : t('customer.newTitle');

  return (
    <div class="page">
      <PageHeader
        back={
          editing && customerId
            ? { href: href(`customers/${customerId}`), label: record?.data.name ?? '' }
            : { href: href(), label: t('nav.frontDesk') }
        }
        title={title}
      />
      <ValidatedForm
        errors={errors}
        order={order}
        onSubmit={() => submit('view')}
        conflict={edit.conflict(t('conflict.customer'))}
      >
        <Section title={t('customer.basics')}>
          <ChoiceGroup
            legend={t('customer.kind')}
            field="kind"
            value={form.kind}
            options={[
              { value: 'individual', label: m.customerKinds.individual },
              { value: 'company', label: m.customerKinds.company },
            ]}
            onValue={(v) => set('kind', v)}
          />
          <div class="grid-2">
            <TextField
              label={form.kind === 'company' ? t('customer.companyName') : t('customer.name')}
              value={form.name}
              onValue={(v) => set('name', v)}
              field="name"
              required
              maxLength={120}
              autoComplete="off"
            />
            {form.kind === 'company' && (
              <TextField
                label={t('customer.contactPerson')}
                value={form.contactPerson}
                onValue={(v) => set('contactPerson', v)}
                field="contactPerson"
                maxLength={120}
              />
            )}
          </div>
          <TextArea
            label={t('customer.notes')}
            value={form.notes}
            onValue={(v) => set('notes', v)}
            field="notes"
            maxLength={2000}
          />
        </Section>
        <Section title={t('customer.contact')}>
          {masked && <Notice kind="info">{t('customer.phonesMaskedEdit')}</Notice>}
          {form.phones.map((p, i) => (
            <div class="phone-row" key={i}>
              <TextField
                class="grow"
                label={`${t('customer.phone')} ${i + 1}`}
                type="tel"
                inputMode="tel"
                autoComplete="off"
                value={p.number}
                readOnly={masked}
                onValue={(v) => setPhone(i, { number: v })}
                field={`phones.${i}.number`}
                error={i === 0 ? errors.errors.phones : undefined}
                required={i === 0}
              />
              <SelectField
                label={`${t('customer.phoneLabel')} ${i + 1}`}
                value={p.label}
                options={LABELS.map((l) => ({ value: l, label: m.phoneLabels[l] }))}
                onValue={(v) => setPhone(i, { label: v })}
              />
              {i > 0 && !masked && (
                <button
                  type="button"
                  class="btn btn-quiet align-end"
                  onClick={() => setForm((f) => ({ ...f, phones: f.phones.filter((_, j) => j !== i) }))}
                >
                  {t('customer.removePhone', { n: i + 1 })}
                </button>
              )}
            </div>
          ))}
          {form.phones.length < 3 && !masked && (
            <button
              type="button"
              class="btn"
              onClick={() =>
                setForm((f) => ({ ...f, phones: [...f.phones, { number: '', label: 'mobile' }] }))
              }
            >
              {t('customer.addPhone')}
            </button>
          )}
          <TextField
            label={t('customer.email')}
            type="email"
            inputMode="email"
            autoComplete="off"
            value={form.email}
            onValue={(v) => set('email', v)}
            field="email"
          />
          <fieldset class="field">
            <legend>{t('customer.windows')}</legend>
            <div class="choices">
              {WINDOWS.map((w) => (
                <Checkbox
                  key={w}
                  label={contactWindowLabel(m.contactWindows[w], w)}
                  checked={form.windows.includes(w)}
                  onValue={(on) =>
                    set('windows', on ? [...form.windows, w] : form.windows.filter((x) => x !== w))
                  }
                />
              ))}
            </div>
            <div class="hint">{t('customer.windowsHint')}</div>
          </fieldset>
          <fieldset class="field">
            <legend>{t('customer.consent')}</legend>
            <div class="choices">
              <Checkbox
                label={t('customer.consentCalls')}
                checked={form.calls}
                onValue={(v) => set('calls', v)}
              />
              <Checkbox
                label={t('customer.consentMessages')}
                checked={form.messages}
                onValue={(v) => set('messages', v)}
              />
            </div>
          </fieldset>
        </Section>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('form.saving') : editing ? t('form.saveChanges') : t('customer.create')}
          </button>
          {!editing && (
            <button type="button" class="btn" disabled={busy} onClick={() => submit('vehicle')}>
              {t('customer.createAndVehicle')}
            </button>
          )}
          <button
            type="button"
            class="btn btn-quiet"
            onClick={() => navigate(editing && customerId ? href(`customers/${customerId}`) : href())}
          >
            {t('action.cancel')}
          </button>
        </div>
      </ValidatedForm>
    </div>
  );
}
