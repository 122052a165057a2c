import type { Feature } from '../app/feature.ts';
import { DiscrepanciesPage } from './DiscrepanciesPage.tsx';
import { purchasingMessages } from './messages.ts';
import { OrderPage } from './OrderPage.tsx';
import { PlanPage } from './PlanPage.tsx';
import { PurchasingPage } from './PurchasingPage.tsx';
import { ReceiptPage } from './ReceiptPage.tsx';

/** 采购 · 入库: the parts desk's plans and orders, the managers' approvals, the warehouse's receiving. */
export const purchasing: Feature<(typeof purchasingMessages)['en']> = {
  name: 'purchasing',
  messages: purchasingMessages,
  storeRoutes: [
    {
      pattern: '/purchasing',
      permission: 'purchase:read',
      render: () => <PurchasingPage />,
      nav: 'nav.purchasing',
    },
    {
      pattern: '/purchasing/discrepancies',
      permission: 'purchase:read',
      render: () => <DiscrepanciesPage />,
    },
    {
      pattern: '/purchasing/plans/:id',
      permission: 'purchase:read',
      render: (p) => <PlanPage id={p.id ?? ''} />,
    },
    {
      pattern: '/purchasing/orders/:id',
      permission: 'purchase:read',
      render: (p) => <OrderPage id={p.id ?? ''} />,
    },
    {
      pattern: '/purchasing/receipts/:id',
      permission: 'purchase:read',
      render: (p) => <ReceiptPage id={p.id ?? ''} />,
    },
  ],
};
