import type { Feature } from '../app/feature.ts';
import { AppointmentPage } from './AppointmentPage.tsx';
import { BookingPage } from './BookingPage.tsx';
import { CalendarPage } from './CalendarPage.tsx';
import { DayBeforePage } from './DayBeforePage.tsx';
import { appointmentMessages } from './messages.ts';

/** 预约: the front office books and moves; the workshop, parts and claims read. */
export const appointments: Feature<(typeof appointmentMessages)['en']> = {
  name: 'appointments',
  messages: appointmentMessages,
  storeRoutes: [
    {
      pattern: '/appointments',
      permission: 'appointment:read',
      render: () => <CalendarPage />,
      nav: 'nav.appointments',
    },
    { pattern: '/appointments/new', permission: 'appointment:manage', render: () => <BookingPage /> },
    {
      pattern: '/appointments/tomorrow',
      permission: 'appointment:read',
      render: () => <DayBeforePage />,
      nav: 'nav.dayBefore',
    },
    {
      pattern: '/appointments/:id',
      permission: 'appointment:read',
      render: (p) => <AppointmentPage key={p.id} appointmentId={p.id!} />,
    },
  ],
};
