import type { Feature } from '../app/feature.ts';
import { CheckInPage } from './CheckInPage.tsx';
import { repairOrderMessages } from './messages.ts';
import { OpenOrdersPage } from './OpenOrdersPage.tsx';
import { PrintPage } from './PrintPage.tsx';
import { RepairOrderPage } from './RepairOrderPage.tsx';

/** 维修工单: the front office checks in, quotes, records approval, settles and delivers; every role reads. */
export const repairOrders: Feature<(typeof repairOrderMessages)['en']> = {
  name: 'repair-orders',
  messages: repairOrderMessages,
  storeRoutes: [
    {
      pattern: '/repair-orders',
      permission: 'repair_order:read',
      render: () => <OpenOrdersPage />,
      nav: 'nav.repairOrders',
    },
    { pattern: '/repair-orders/new', permission: 'repair_order:write', render: () => <CheckInPage /> },
    {
      pattern: '/repair-orders/:id',
      permission: 'repair_order:read',
      render: (p) => <RepairOrderPage key={p.id} repairOrderId={p.id!} />,
    },
    {
      pattern: '/repair-orders/:id/print/:doc',
      permission: 'repair_order:read',
      render: (p) => <PrintPage key={`${p.id}/${p.doc}`} repairOrderId={p.id!} doc={p.doc!} />,
    },
  ],
};
