import type { Feature } from '../app/feature.ts';
import { CataloguePage } from './CataloguePage.tsx';
import { partMessages } from './messages.ts';
import { PartFormPage } from './PartFormPage.tsx';
import { PartImportJobPage, PartImportsPage } from './PartImports.tsx';
import { PartPage } from './PartPage.tsx';
import { stockMessages } from './stock-messages.ts';
import { stockRoutes } from './stock-routes.tsx';

/** The catalogue's and the stock screens' strings, one feature's. */
const messages = {
  en: { ...partMessages.en, ...stockMessages.en },
  'zh-CN': { ...partMessages['zh-CN'], ...stockMessages['zh-CN'] },
};

/** 配件 · 仓库: the service floor reads the catalogue; parts staff keep it and import it. */
export const parts: Feature<(typeof messages)['en']> = {
  name: 'parts',
  messages,
  storeRoutes: [
    { pattern: '/parts', permission: 'part:read', render: () => <CataloguePage />, nav: 'nav.parts' },
    { pattern: '/parts/new', permission: 'part:manage', render: () => <PartFormPage /> },
    { pattern: '/parts/imports', permission: 'part:manage', render: () => <PartImportsPage /> },
    {
      pattern: '/parts/imports/:id',
      permission: 'part:manage',
      render: (p) => <PartImportJobPage key={p.id} importId={p.id!} />,
    },
    {
      pattern: '/parts/:id',
      permission: 'part:read',
      render: (p) => <PartPage key={p.id} partId={p.id!} />,
    },
    ...stockRoutes,
  ],
};
