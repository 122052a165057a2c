import type { StoreRoute } from '../app/feature.ts';
import { PickListPage } from './PickListPage.tsx';
import { StockPage } from './StockPage.tsx';

/** The stock screens (仓库): stock by location and a document's printable pick list. */
export const stockRoutes: readonly StoreRoute[] = [
  { pattern: '/stock', permission: 'part:read', render: () => <StockPage />, nav: 'nav.stock' },
  {
    pattern: '/stock/pick-lists/:type/:id',
    permission: 'part:read',
    render: (p) => <PickListPage key={`${p.type}/${p.id}`} documentType={p.type!} documentId={p.id!} />,
  },
];
