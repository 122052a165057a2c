import type { Customer, Vehicle } from '@aftersales/domain';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { Badge, Plate, Vin } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';

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
