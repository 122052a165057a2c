import type { Schemas } from '@aftersales/api-client';
import { useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useFieldError } from '../components/forms.tsx';
import { Plate } from '../components/ui.tsx';
import { getCustomer, rememberName, searchCustomers } from '../customers/api.ts';
import { PickedValue, PickerSearch, PickList } from '../customers/CustomerPicker.tsx';
import { useI18n } from '../i18n/index.tsx';
import { detectSearch, searchRequest } from '../search/detect.ts';
import { searchVehicles } from '../vehicles/api.ts';

/** The customer and vehicle a booking is for, as picked. */
export interface Party {
  customerId: string;
  customerName: string;
  vehicleId: string;
  plate?: string | undefined;
  vehicle: string;
}

type Choice = { key: string; title: string; plate?: string | undefined; meta: string; pick: () => void };

/**
 * Finds the customer and vehicle with the registry's look-ups, by whatever the advisor has: a plate or
 * VIN finds the vehicle (and its owner), a phone or name finds the customer (then one of their vehicles).
 */
export function PartyPicker({
  value,
  onChange,
  field,
}: {
  value: Party | null;
  onChange: (p: Party | null) => void;
  /** The error path the picked customer answers for (see `ValidatedForm`). */
  field: string;
}) {
  const { t, m } = useI18n();
  const { api, can } = useStore();
  const customerError = useFieldError(field);
  const vehicleError = useFieldError('vehicleId');
  const error = customerError ?? vehicleError;
  const [choices, setChoices] = useState<Choice[] | null>(null);
  const [heading, setHeading] = useState('');
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const pickVehicle = (v: Schemas['VehicleListItem']): Choice => ({
    key: v.id,
    title: `${v.brand} ${v.model}`,
    plate: v.plate,
    meta: `${m.linkRoles.owner} ${v.ownerName ?? '—'}`,
    pick: () => {
      if (!v.owner) return setNote(t('appt.noOwner'));
      onChange({
        customerId: v.owner.customerId,
        customerName: v.ownerName ?? '',
        vehicleId: v.id,
        plate: v.plate,
        vehicle: `${v.brand} ${v.model}`,
      });
      setChoices(null);
    },
  });

  const customerVehicles = async (c: { id: string; name: string }) => {
    rememberName(api, c.id, c.name);
    const detail = (await getCustomer(api, c.id)).data;
    const current = detail.vehicles.filter((v) => !v.until);
    setHeading(`${c.name} · ${t('appt.chooseVehicle')}`);
    setNote(current.length === 0 ? t('appt.noVehicles') : '');
    setChoices(
      current.map(({ vehicle: v, role }) => ({
        key: v.id,
        title: `${v.brand} ${v.model}`,
        plate: v.plate,
        meta: m.linkRoles[role],
        pick: () => {
          onChange({
            customerId: c.id,
            customerName: c.name,
            vehicleId: v.id,
            plate: v.plate,
            vehicle: `${v.brand} ${v.model}`,
          });
          setChoices(null);
        },
      })),
    );
  };

  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    setNote('');
    try {
      await step();
    } catch (e) {
      setFailure(e);
      setChoices(null);
    } finally {
      setBusy(false);
    }
  };

  const search = (text: string) =>
    run(async () => {
      const kind = detectSearch(text);
      if (!kind) return;
      // Roles that see phones masked may not look up by phone: their digits are searched as a name.
      const req = searchRequest(kind === 'phone' && !can('customer:contact') ? 'name' : kind, text);
      setHeading(t('appt.found'));
      if (req.target === 'vehicles') {
        const page = await searchVehicles(api, { ...req.query, limit: 10 });
        setChoices(page.items.map(pickVehicle));
      } else {
        const page = await searchCustomers(api, { ...req.query, limit: 10 });
        setChoices(
          page.items.map((c) => ({
            key: c.id,
            title: c.name,
            meta: c.phones.map((p) => p.number).join(' / '),
            pick: () => void run(() => customerVehicles(c)),
          })),
        );
      }
    });

  if (value)
    return (
      <PickedValue label={t('appt.customer')} field={field} error={error} onClear={() => onChange(null)}>
        <strong>{value.customerName}</strong> <Plate plate={value.plate} /> <span>{value.vehicle}</span>
      </PickedValue>
    );
  return (
    <PickerSearch
      label={t('appt.find')}
      field={field}
      error={error}
      busy={busy}
      failure={failure}
      placeholder=""
      onSearch={(text) => void search(text)}
    >
      {note && <p class="hint">{note}</p>}
      {choices && choices.length === 0 && !note && <p class="hint">{t('appt.notFound')}</p>}
      {choices && choices.length > 0 && (
        <PickList
          label={heading}
          items={choices.map((c) => ({
            key: c.key,
            name: (
              <>
                {c.plate !== undefined && <Plate plate={c.plate} />} {c.title}
              </>
            ),
            meta: c.meta,
            onPick: c.pick,
          }))}
        />
      )}
    </PickerSearch>
  );
}
