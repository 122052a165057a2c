import type { Schemas } from '@aftersales/api-client';
import {
  type AppointmentFields,
  AppointmentInput,
  BayType,
  openingOn,
  UrgentFault,
} from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { navigate, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { fieldBinder, optionsOf } from '../components/FormField.tsx';
import {
  Checkbox,
  SelectField,
  TextArea,
  TextField,
  useFormErrors,
  ValidatedForm,
} from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, PageHeader, Section } from '../components/ui.tsx';
import { optional, optionalNumber, schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { LemonBanner } from '../lemon-law/index.ts';
import { checkPartsAvailability, type NeededPartStatus } from '../parts/stock-api.ts';
import { getStoreSetup, listLabourOps } from '../setup/api.ts';
import { RowList } from '../setup/RowList.tsx';
import { createAppointment } from './api.ts';
import { PartStatusList } from './PartStatuses.tsx';
import { type Party, PartyPicker } from './PartyPicker.tsx';
import { type CapacityFull, CapacityFullNotice, capacityFullOf, useToday } from './shared.tsx';

type LabourOp = Schemas['LabourOp'];
interface PartRow {
  partNumber: string;
  name: string;
  quantity: string;
}

/** The booking as typed: numbers stay text until the schema reads them. */
interface Form {
  date: string;
  time: string;
  concern: string;
  concernHours: string;
  concernBay: BayType;
  note: string;
  channel: 'desk' | 'phone';
  /** Not confirmed yet: the customer is to be called back (待确认). */
  requested: boolean;
  urgent: boolean;
  fault: NonNullable<AppointmentFields['urgent']>['fault'];
  reason: string;
}

function toInput(f: Form, party: Party | null, ops: LabourOp[], papers: string[], parts: PartRow[]) {
  const concern = optional(f.concern);
  const hours = optionalNumber(f.concernHours);
  const note = optional(f.note);
  return {
    customerId: party?.customerId ?? '',
    vehicleId: party?.vehicleId ?? '',
    date: f.date,
    time: f.time,
    labourOpIds: ops.map((o) => o.id),
    ...(concern ? { concern } : {}),
    ...(concern && hours !== undefined ? { concernEstimate: { hours, bayType: f.concernBay } } : {}),
    parts: parts.map((p) => {
      const name = optional(p.name);
      return { partNumber: p.partNumber.trim(), ...(name ? { name } : {}), quantity: Number(p.quantity) };
    }),
    papers,
    ...(note ? { note } : {}),
    channel: f.channel,
    status: f.requested ? ('requested' as const) : ('confirmed' as const),
    ...(f.urgent ? { urgent: { fault: f.fault, reason: f.reason } } : {}),
  };
}

/** 新建预约: at the desk or on the phone, for a customer and vehicle found in the registry. */
export function BookingPage() {
  const { t, m, locale } = useI18n();
  const { api, href, can } = useStore();
  // 备件: whether the parts asked for are on the shelf or to order, before the booking is made.
  const [availability, setAvailability] = useState<NeededPartStatus[] | 'failed' | null>(null);
  const { query } = useLocation();
  const today = useToday();
  const setup = useLoad(useCallback(() => getStoreSetup(api), [api]));
  const errors = useFormErrors();
  const idempotencyKey = useIdempotencyKey();
  const [party, setParty] = useState<Party | null>(null);
  const [ops, setOps] = useState<LabourOp[]>([]);
  const [opPrefix, setOpPrefix] = useState('');
  const [papers, setPapers] = useState<string[] | null>(null);
  const [parts, setParts] = useState<PartRow[]>([]);
  const [full, setFull] = useState<CapacityFull | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState<Form>({
    date: query.get('date') ?? today,
    time: query.get('time') ?? '',
    concern: '',
    concernHours: '',
    concernBay: 'general',
    note: '',
    channel: 'desk',
    requested: false,
    urgent: false,
    fault: 'brakes',
    reason: '',
  });
  const found = useLoad(
    useCallback(
      () =>
        opPrefix.trim()
          ? listLabourOps(api, { code: opPrefix.trim().toUpperCase(), limit: 8 })
          : Promise.resolve({ items: [] as LabourOp[] }),
      [api, opPrefix],
    ),
  );

  if (setup.error) return <ErrorNotice error={setup.error} onRetry={() => void setup.reload()} />;
  if (!setup.data) return <Loading />;
  const s = setup.data.data;
  // Every paper the store lists until the advisor unticks one.
  const chosenPapers = papers ?? s.papers.map((p) => p.code);
  const time = form.time || openingOn(s, form.date)?.open || '09:00';
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const bind = fieldBinder(form, set);
  const opName = (op: LabourOp) => (locale === 'en' && op.name.en ? op.name.en : op.name.zh);

  const submit = async () => {
    if (busy) return;
    setFull(null);
    const parsed = AppointmentInput.safeParse(toInput({ ...form, time }, party, ops, chosenPapers, parts));
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      const booked = await createAppointment(api, parsed.data, idempotencyKey(parsed.data));
      navigate(href(`appointments?date=${booked.data.date}`));
    } catch (err) {
      const isFull = capacityFullOf(err);
      if (isFull) setFull(isFull);
      else errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const order = [
    'customerId',
    'vehicleId',
    'date',
    'time',
    'labourOpIds',
    'concern',
    'concernEstimate.hours',
    ...parts.flatMap((_, i) => [`parts.${i}.partNumber`, `parts.${i}.name`, `parts.${i}.quantity`]),
    'urgent.reason',
    'note',
  ];

  return (
    <div class="page">
      <PageHeader title={t('appt.newTitle')} back={{ href: href('appointments'), label: t('appt.back') }} />
      <ValidatedForm
        errors={errors}
        order={order}
        onSubmit={submit}
        notices={
          full && (
            <CapacityFullNotice
              full={full}
              onDay={(date) => {
                set('date', date);
                setFull(null);
              }}
            />
          )
        }
      >
        <Section title={t('appt.customer')}>
          <PartyPicker value={party} onChange={setParty} field="customerId" />
        </Section>
        {party?.vehicleId && <LemonBanner vehicleId={party.vehicleId} />}
        <Section title={t('appt.time')}>
          <div class="grid-3">
            <TextField {...bind('date')} label={t('appt.date')} type="date" required />
            <TextField
              {...bind('time')}
              value={time}
              label={t('appt.time')}
              type="time"
              step={900}
              required
            />
            <SelectField
              {...bind('channel')}
              label={t('appt.channel')}
              options={[
                { value: 'desk', label: m.appointmentChannels.desk },
                { value: 'phone', label: m.appointmentChannels.phone },
              ]}
            />
          </div>
          <Checkbox
            label={t('appt.status.requested')}
            checked={form.requested}
            onValue={(v) => set('requested', v)}
          />
        </Section>
        <Section title={t('appt.work')}>
          <fieldset class="field" data-field="labourOpIds">
            <legend>{t('appt.labourOps')}</legend>
            {ops.length === 0 ? (
              <p class="muted">{t('appt.noOps')}</p>
            ) : (
              <ul class="chosen-ops">
                {ops.map((op) => (
                  <li key={op.id}>
                    {op.code} {opName(op)} · {op.hours.toFixed(1)} h{' '}
                    <button
                      type="button"
                      class="btn btn-small btn-quiet"
                      onClick={() => setOps(ops.filter((o) => o.id !== op.id))}
                    >
                      {t('appt.opRemove', { code: op.code })}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <TextField label={t('appt.opFind')} value={opPrefix} maxLength={20} onValue={setOpPrefix} />
            {found.error ? <ErrorNotice error={found.error} /> : null}
            {(found.data?.items ?? [])
              .filter((op) => op.active && !ops.some((o) => o.id === op.id))
              .map((op) => (
                <button
                  key={op.id}
                  type="button"
                  class="btn btn-small"
                  onClick={() => {
                    setOps([...ops, op]);
                    setOpPrefix('');
                  }}
                >
                  {t('appt.opAdd', { code: op.code, name: opName(op), hours: op.hours.toFixed(1) })}
                </button>
              ))}
          </fieldset>
          <TextArea
            {...bind('concern')}
            label={t('appt.concern')}
            hint={t('appt.concernHint')}
            maxLength={500}
          />
          {form.concern.trim() !== '' && (
            <div class="grid-2">
              <TextField
                {...bind('concernHours', 'concernEstimate.hours')}
                label={t('appt.concernHours')}
                inputMode="decimal"
              />
              <SelectField
                {...bind('concernBay', 'concernEstimate.bayType')}
                label={t('appt.concernBay')}
                options={optionsOf(BayType.options, m.bayTypes)}
              />
            </div>
          )}
        </Section>
        <Section title={t('appt.papers')}>
          {s.papers.map((p) => (
            <Checkbox
              key={p.code}
              label={locale === 'en' && p.name.en ? p.name.en : p.name.zh}
              checked={chosenPapers.includes(p.code)}
              onValue={(on) =>
                setPapers(on ? [...chosenPapers, p.code] : chosenPapers.filter((c) => c !== p.code))
              }
            />
          ))}
        </Section>
        <Section title={t('appt.parts')}>
          <RowList<PartRow>
            rows={parts}
            onRows={setParts}
            blank={() => ({ partNumber: '', name: '', quantity: '1' })}
            addLabel={t('appt.addPart')}
            removeLabel={(i) => t('appt.removePart', { n: i + 1 })}
            empty={t('appt.noParts')}
            render={(row, i, setRow) => {
              const part = fieldBinder(row, (key, value) => setRow({ [key]: value }));
              return (
                <>
                  <TextField
                    {...part('partNumber', `parts.${i}.partNumber`)}
                    label={t('appt.partNumber', { n: i + 1 })}
                    maxLength={40}
                    required
                  />
                  <TextField
                    {...part('name', `parts.${i}.name`)}
                    class="grow"
                    label={t('appt.partName', { n: i + 1 })}
                    maxLength={80}
                  />
                  <TextField
                    {...part('quantity', `parts.${i}.quantity`)}
                    label={t('appt.partQty', { n: i + 1 })}
                    inputMode="numeric"
                    required
                  />
                </>
              );
            }}
          />
          {can('part:read') && parts.length > 0 && (
            <div class="form-actions">
              <button
                type="button"
                class="btn"
                onClick={async () => {
                  try {
                    const asked = parts.map((p) => ({
                      partNumber: p.partNumber,
                      quantity: Number(p.quantity),
                    }));
                    setAvailability((await checkPartsAvailability(api, asked)).parts);
                  } catch {
                    setAvailability('failed');
                  }
                }}
              >
                {t('appt.checkParts')}
              </button>
            </div>
          )}
          {availability === 'failed' ? (
            <p role="status">{t('appt.checkPartsFailed')}</p>
          ) : (
            availability && (
              <div role="status">
                <PartStatusList statuses={availability} />
              </div>
            )
          )}
        </Section>
        <Section title={t('appt.urgent')}>
          <Checkbox label={t('appt.isUrgent')} checked={form.urgent} onValue={(v) => set('urgent', v)} />
          {form.urgent && (
            <div class="grid-2">
              <SelectField
                {...bind('fault', 'urgent.fault')}
                label={t('appt.fault')}
                options={optionsOf(UrgentFault.options, m.urgentFaults)}
              />
              <TextField
                {...bind('reason', 'urgent.reason')}
                label={t('appt.urgentReason')}
                required
                maxLength={300}
              />
            </div>
          )}
          <TextArea {...bind('note')} label={t('appt.note')} maxLength={500} />
        </Section>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('appt.booking') : t('appt.book')}
          </button>
        </div>
      </ValidatedForm>
    </div>
  );
}
