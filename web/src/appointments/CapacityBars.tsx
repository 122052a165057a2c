import { type AppointmentDay, type BayType, entriesOf } from '@aftersales/domain';
import { Badge } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { hoursText } from './shared.tsx';

/**
 * A day's room per bay type as bars: booked against capacity, in words (what a screen reader reads)
 * and as a bar (what the eye takes in); an overbooked type (urgent bookings) says by how much.
 */
export function CapacityBars({ day }: { day: AppointmentDay }) {
  const { t, m } = useI18n();
  if (!day.open) return <p class="muted">{t('appt.closed')}</p>;
  const types = [...new Set([...entriesOf(day.capacity), ...entriesOf(day.booked)].map(([type]) => type))];
  return (
    <ul class="cap-bars" aria-label={t('appt.capacity')}>
      {types.map((type: BayType) => {
        const capacity = day.capacity[type] ?? 0;
        const booked = day.booked[type] ?? 0;
        const over = booked - capacity;
        const share = capacity === 0 ? (booked > 0 ? 100 : 0) : Math.min(100, (booked / capacity) * 100);
        return (
          <li key={type} class="cap">
            <span class="cap-label">
              {t('appt.bar', {
                type: m.bayTypes[type],
                booked: hoursText(booked),
                capacity: hoursText(capacity),
              })}
              {over > 0 && (
                <>
                  {' '}
                  <Badge kind="danger">{t('appt.overbooked', { hours: hoursText(over) })}</Badge>
                </>
              )}
            </span>
            <span class="cap-track" aria-hidden="true">
              <span class={`cap-fill${over > 0 ? ' cap-over' : ''}`} style={{ width: `${share}%` }} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}
