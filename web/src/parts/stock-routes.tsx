import type { StoreRoute } from '../app/feature.ts';
import { ObsoleteStockPage } from './ObsoleteStockPage.tsx';
import { PickListPage } from './PickListPage.tsx';
import { StockPage } from './StockPage.tsx';

/** The stock screens (仓库): stock by location, obsolete stock and a document's printable pick list. */
export const stockRoutes: readonly StoreRoute[] = [
  { pattern: '/stock', permission: 'part:read', render: () => <StockPage />, nav: 'nav.stock' },
  {
    pattern: '/stock/obsolete',
    permission: 'part:read',
    render: () => <ObsoleteStockPage />,
    nav: 'nav.obsoleteStock',
  },
  {
    pattern: '/stock/pick-lists/:type/:id',
    permission: 'part:read',
    render: (p) => <PickListPage key={`${p.type}/${p.id}`} documentType={p.type!} documentId={p.id!} />,
  },
];
