import type { Feature } from '../app/feature.ts';
import { writeOffMessages } from './messages.ts';
import { WriteOffPage } from './WriteOffPage.tsx';
import { WriteOffPolicyPage } from './WriteOffPolicyPage.tsx';
import { WriteOffsPage } from './WriteOffsPage.tsx';

/** 报损: the warehouse asks, the three supervisors confirm, the parts staff post into custody. */
export const writeOffs: Feature<(typeof writeOffMessages)['en']> = {
  name: 'write-offs',
  messages: writeOffMessages,
  storeRoutes: [
    {
      pattern: '/write-offs',
      permission: 'write_off:read',
      render: () => <WriteOffsPage />,
      nav: 'nav.writeOffs',
    },
    // Before `:id`, which would take `policy` for a write-off's id.
    {
      pattern: '/write-offs/policy',
      permission: 'write_off:read',
      render: () => <WriteOffPolicyPage />,
    },
    {
      pattern: '/write-offs/:id',
      permission: 'write_off:read',
      render: (p) => <WriteOffPage key={p.id} writeOffId={p.id!} />,
    },
  ],
};
