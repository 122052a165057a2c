import type { Customer, Vehicle } from '@aftersales/domain';
import { useEffect, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { Badge, Plate, Vin } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';

/** Owners' names for a list of vehicles (the list carries only owner ids; names are looked up once per session). */
export function useOwnerNames(vehicles: Vehicle[]): Record<string, string | undefined> {
  const { api } = useStore();
  const [names, setNames] = useState<Record<string, string | undefined>>({});
  const ids = [...new Set(vehicles.flatMap((v) => (v.owner ? [v.owner.customerId] : [])))];
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    if (!key) return;
    Promise.all(key.split(',').map(async (id) => [id, await api.customerName(id)] as const)).then((pairs) => {
      if (live) setNames((prev) => ({ ...prev, ...Object.fromEntries(pairs) }));
    });
    return () => {
      live = false;
    };
  }, [key, api]);
  return names;
}

export function VehicleCard({ vehicle, ownerName }: { vehicle: Vehicle; ownerName: string | undefined }) {
  const { t, m, dateTime } = useI18n();
  const { href } = useStore();
  return (
    <li>
      <Link class="result-card" href={href(`vehicles/${vehicle.id}`)}>
        <div class="result-main">
          <Plate plate={vehicle.plate} />
          <span class="result-title">
            {vehicle.brand} {vehicle.model}
            {vehicle.modelYear ? ` · ${vehicle.modelYear}` : ''}
          </span>
        </div>
        <div class="result-meta">
          <span>
            <span class="meta-label">{t('vehicle.vinShort')}</span> <Vin vin={vehicle.vin} />
          </span>
          <span class="owner">
            <span class="meta-label">{m.linkRoles.owner}</span>{' '}
            {vehicle.owner ? (ownerName ?? '…') : t('vehicle.noOwner')}
          </span>
          {vehicle.lastServedAt && (
            <span>
              <span class="meta-label">{t('vehicle.lastServed')}</span> {dateTime(vehicle.lastServedAt)}
            </span>
          )}
        </div>
      </Link>
    </li>
  );
}

export function CustomerCard({ customer }: { customer: Customer }) {
  const { m } = useI18n();
  const { href } = useStore();
  return (
    <li>
      <Link class="result-card" href={href(`customers/${customer.id}`)}>
        <div class="result-main">
          <span class="result-title">{customer.name}</span>
          <Badge>{m.customerKinds[customer.kind]}</Badge>
        </div>
        <div class="result-meta">
          {customer.phones.map((p) => (
            <span key={p.number}>
              <span class="meta-label">{m.phoneLabels[p.label]}</span> {p.number}
            </span>
          ))}
          {customer.contactPerson && <span>{customer.contactPerson}</span>}
        </div>
      </Link>
    </li>
  );
}
