import { CheckInInput, Payer, wallClock } from '@aftersales/domain';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { navigate, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { getAppointment } from '../appointments/api.ts';
import { type Party, PartyPicker } from '../appointments/PartyPicker.tsx';
import { fieldBinder, optionsOf } from '../components/FormField.tsx';
import { SelectField, TextArea, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { useLoad } from '../components/load.ts';
import { Badge, ErrorNotice, Notice, PageHeader, Section } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { LemonBanner } from '../lemon-law/index.ts';
import { RowList } from '../setup/RowList.tsx';
import { checkIn, type DeclinedWork, listDeclinedWork } from './api.ts';
import { fen, instantIn } from './shared.tsx';

type PayerName = (typeof Payer.options)[number];
interface ConcernRow {
  words: string;
  payer: PayerName;
  /** Declined work of an earlier visit this concern takes up (未修项目). */
  declinedFrom?: { repairOrderId: string; lineId: string };
}

/** The check-in as typed: numbers and the promised time stay text until the schema reads them. */
interface Form {
  odometerKm: string;
  fuelLevel: string;
  promisedDate: string;
  promisedTime: string;
  insurer: string;
  claimNumber: string;
}

const FUEL = Array.from({ length: 9 }, (_, n) => String(n));

/**
 * 接车: a walk-in found in the registry, or a booking's customer and car (`?appointmentId=`), with the
 * odometer, fuel, promised time and the customer's concerns in their own words.
 */
export function CheckInPage() {
  const { t, m, date } = useI18n();
  const { api, href, profile } = useStore();
  const { query } = useLocation();
  const appointmentId = query.get('appointmentId') ?? undefined;
  const timeZone = profile?.store.timeZone ?? 'Asia/Shanghai';
  const errors = useFormErrors();
  const idempotencyKey = useIdempotencyKey();
  const booking = useLoad(
    useCallback(
      () => (appointmentId ? getAppointment(api, appointmentId) : Promise.resolve(null)),
      [api, appointmentId],
    ),
  );
  const [party, setParty] = useState<Party | null>(null);
  const [concerns, setConcerns] = useState<ConcernRow[]>([{ words: '', payer: 'customer' }]);
  const [busy, setBusy] = useState(false);
  const later = wallClock(new Date(Date.now() + 4 * 3_600_000), timeZone);
  const [form, setForm] = useState<Form>({
    odometerKm: '',
    fuelLevel: '4',
    promisedDate: later.date,
    promisedTime: later.time,
    insurer: '',
    claimNumber: '',
  });
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const bind = fieldBinder(form, set);

  // The booking's customer, car and words, once it has loaded.
  const b = booking.data?.data;
  useEffect(() => {
    if (!b?.customerId || !b.vehicleId) return;
    setParty({
      customerId: b.customerId,
      customerName: b.customerName ?? '',
      vehicleId: b.vehicleId,
      plate: b.plate,
      vehicle: '',
    });
    if (b.concern) setConcerns([{ words: b.concern, payer: 'customer' }]);
  }, [b]);

  const insurance = concerns.some((c) => c.payer === 'insurance');
  const submit = async () => {
    if (busy) return;
    const input = {
      source: b ? { kind: 'booking' as const, appointmentId: b.id } : { kind: 'walk_in' as const },
      customerId: party?.customerId ?? '',
      vehicleId: party?.vehicleId ?? '',
      odometerKm: form.odometerKm.trim() === '' ? Number.NaN : Number(form.odometerKm),
      fuelLevel: Number(form.fuelLevel),
      promisedAt: instantIn(form.promisedDate, form.promisedTime, timeZone),
      concerns: concerns.map((c) => ({
        words: c.words,
        payer: c.payer,
        ...(c.declinedFrom ? { declinedFrom: c.declinedFrom } : {}),
      })),
      ...(insurance ? { accident: { insurer: form.insurer, claimNumber: form.claimNumber } } : {}),
    };
    const parsed = CheckInInput.safeParse(input);
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      const opened = await checkIn(api, parsed.data, idempotencyKey(parsed.data));
      navigate(href(`repair-orders/${opened.data.id}`));
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const order = [
    'source.appointmentId',
    'customerId',
    'vehicleId',
    'odometerKm',
    'fuelLevel',
    'promisedAt',
    ...concerns.flatMap((_, i) => [`concerns.${i}.words`, `concerns.${i}.payer`]),
    'concerns',
    'accident.insurer',
    'accident.claimNumber',
  ];

  return (
    <div class="page">
      <PageHeader title={t('ro.checkInTitle')} back={{ href: href('repair-orders'), label: t('ro.back') }} />
      {booking.error !== null && <ErrorNotice error={booking.error} onRetry={() => void booking.reload()} />}
      {b && <Notice kind="info">{t('ro.fromBooking', { date: `${date(b.date)} ${b.time}` })}</Notice>}
      <ValidatedForm errors={errors} order={order} onSubmit={submit}>
        <Section title={t('ro.vehicleAndCustomer')}>
          <PartyPicker value={party} onChange={setParty} field="customerId" />
        </Section>
        {party?.vehicleId && <LemonBanner vehicleId={party.vehicleId} />}
        <Section title={t('ro.arrival')}>
          <div class="grid-2">
            <TextField {...bind('odometerKm')} label={t('ro.odometer')} inputMode="numeric" required />
            <SelectField
              {...bind('fuelLevel')}
              label={t('ro.fuel')}
              options={FUEL.map((n) => ({ value: n, label: t('ro.fuelEighths', { n }) }))}
            />
            <TextField
              {...bind('promisedDate', 'promisedAt')}
              label={t('ro.promisedDate')}
              type="date"
              required
            />
            <TextField
              {...bind('promisedTime', 'promisedAt')}
              label={t('ro.promisedTime')}
              type="time"
              step={900}
              required
            />
          </div>
        </Section>
        {party?.vehicleId && (
          <DeclinedWorkOffer
            vehicleId={party.vehicleId}
            taken={concerns}
            onTake={(row) =>
              setConcerns((rows) => [...rows.filter((r) => r.words.trim() !== '' || r.declinedFrom), row])
            }
          />
        )}
        <Section title={t('ro.concerns')}>
          <div data-field="concerns">
            <RowList<ConcernRow>
              rows={concerns}
              onRows={setConcerns}
              blank={() => ({ words: '', payer: 'customer' })}
              addLabel={t('ro.addConcern')}
              removeLabel={(i) => t('ro.removeConcern', { n: i + 1 })}
              render={(row, i, setRow) => (
                <>
                  <div class="grow">
                    <TextArea
                      label={t('ro.concern', { n: i + 1 })}
                      field={`concerns.${i}.words`}
                      value={row.words}
                      onValue={(words) => setRow({ words })}
                      rows={2}
                      maxLength={500}
                    />
                  </div>
                  <SelectField
                    label={t('ro.concernPayer', { n: i + 1 })}
                    field={`concerns.${i}.payer`}
                    value={row.payer}
                    options={optionsOf(Payer.options, m.payers)}
                    onValue={(payer) => setRow({ payer })}
                  />
                </>
              )}
            />
          </div>
        </Section>
        {insurance && (
          <Section title={t('ro.accident')}>
            <div class="grid-2">
              <TextField {...bind('insurer', 'accident.insurer')} label={t('ro.insurer')} required />
              <TextField
                {...bind('claimNumber', 'accident.claimNumber')}
                label={t('ro.claimNumber')}
                required
              />
            </div>
          </Section>
        )}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('ro.checkingIn') : t('ro.checkIn')}
          </button>
        </div>
      </ValidatedForm>
    </div>
  );
}

/**
 * 未修项目: what the customer declined on an earlier visit, offered again now; taking one up adds it as
 * a concern that names it, so it is not offered again after this order.
 */
function DeclinedWorkOffer(props: {
  vehicleId: string;
  taken: readonly ConcernRow[];
  onTake: (row: ConcernRow) => void;
}) {
  const { t, dateTime } = useI18n();
  const { api } = useStore();
  const declined = useLoad(useCallback(() => listDeclinedWork(api, props.vehicleId), [api, props.vehicleId]));
  if (declined.error !== null)
    return <ErrorNotice error={declined.error} onRetry={() => void declined.reload()} />;
  const items = declined.data?.items ?? [];
  if (items.length === 0) return null;
  const isTaken = (w: DeclinedWork) =>
    props.taken.some(
      (c) => c.declinedFrom?.repairOrderId === w.repairOrderId && c.declinedFrom.lineId === w.lineId,
    );
  return (
    <Section title={t('ro.declinedWork')}>
      <p class="hint">{t('ro.declinedWorkHint')}</p>
      <ul class="plain-list">
        {items.map((w) => (
          <li key={`${w.repairOrderId}-${w.lineId}`}>
            {t('ro.declinedOn', { date: dateTime(w.declinedAt) })} · {w.complaint}
            {w.totals ? ` · ${fen(w.totals.net)}` : ''}{' '}
            {isTaken(w) ? (
              <Badge kind="success">{t('ro.declinedTaken')}</Badge>
            ) : (
              <button
                type="button"
                class="btn btn-small"
                onClick={() =>
                  props.onTake({
                    words: w.complaint,
                    payer: w.payer,
                    declinedFrom: { repairOrderId: w.repairOrderId, lineId: w.lineId },
                  })
                }
              >
                {t('ro.takeUpDeclined', { complaint: w.complaint })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}
