import type { Feature } from '../app/feature.ts';
import { staffMessages } from './messages.ts';
import { StaffMemberPage } from './StaffMemberPage.tsx';
import { StaffPage } from './StaffPage.tsx';

/** 人员: those who plan the day read; the manager adds, edits, disables and removes. */
export const staff: Feature<(typeof staffMessages)['en']> = {
  name: 'staff',
  messages: staffMessages,
  storeRoutes: [
    { pattern: '/staff', permission: 'staff:read', render: () => <StaffPage />, nav: 'nav.staff' },
    {
      pattern: '/staff/:id',
      permission: 'staff:read',
      render: (p) => <StaffMemberPage key={p.id} staffId={p.id!} />,
    },
  ],
};
