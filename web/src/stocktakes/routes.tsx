import type { Feature } from '../app/feature.ts';
import { CountPage } from './CountPage.tsx';
import { stocktakeMessages } from './messages.ts';
import { StocktakePage } from './StocktakePage.tsx';
import { StocktakesPage } from './StocktakesPage.tsx';

/** 盘点: the warehouse counts by location; the parts manager posts the explained differences. */
export const stocktakes: Feature<(typeof stocktakeMessages)['en']> = {
  name: 'stocktakes',
  messages: stocktakeMessages,
  storeRoutes: [
    {
      pattern: '/stocktakes',
      permission: 'stocktake:read',
      render: () => <StocktakesPage />,
      nav: 'nav.stocktakes',
    },
    {
      pattern: '/stocktakes/:id/count',
      permission: 'stocktake:count',
      render: (p) => <CountPage key={p.id} stocktakeId={p.id!} />,
    },
    {
      pattern: '/stocktakes/:id',
      permission: 'stocktake:read',
      render: (p) => <StocktakePage key={p.id} stocktakeId={p.id!} />,
    },
  ],
};
