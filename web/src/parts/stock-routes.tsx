import type { Feature, StoreRoute } from '../app/feature.ts';
import { PickListPage } from './PickListPage.tsx';
import { StockPage } from './StockPage.tsx';
import { stockMessages } from './stock-messages.ts';

/** The stock screens' pages: the integrator adds them to the parts feature's `storeRoutes`. */
export const stockRoutes: readonly StoreRoute[] = [
  { pattern: '/stock', permission: 'part:read', render: () => <StockPage />, nav: 'nav.stock' },
  {
    pattern: '/stock/pick-lists/:type/:id',
    permission: 'part:read',
    render: (p) => <PickListPage key={`${p.type}/${p.id}`} documentType={p.type!} documentId={p.id!} />,
  },
];

/**
 * 仓库 as a feature of its own until the parts feature (`routes.tsx`) lands: its messages and pages.
 * Merging: spread `stockMessages` into the parts messages and `stockRoutes` into its routes, and drop
 * this feature's line in app/features.ts.
 */
export const stock: Feature<(typeof stockMessages)['en']> = {
  name: 'stock',
  messages: stockMessages,
  storeRoutes: stockRoutes,
};
