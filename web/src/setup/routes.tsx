import type { Feature } from '../app/feature.ts';
import { ChecklistsPage } from './ChecklistsPage.tsx';
import { LabourOpImportJobPage, LabourOpImportsPage } from './LabourOpImports.tsx';
import { LabourOpsPage } from './LabourOpsPage.tsx';
import { setupMessages } from './messages.ts';
import { SetupPage } from './SetupPage.tsx';

/** 门店设置: every store role reads; the pages show forms only to those who may save them. */
export const setup: Feature<(typeof setupMessages)['en']> = {
  name: 'setup',
  messages: setupMessages,
  storeRoutes: [
    { pattern: '/setup', permission: 'setup:read', render: () => <SetupPage />, nav: 'nav.setup' },
    {
      pattern: '/setup/labour-ops',
      permission: 'setup:read',
      render: () => <LabourOpsPage />,
      nav: 'nav.labourOps',
    },
    // The catalogue's imports: managers and technical directors only, as the API says.
    {
      pattern: '/setup/labour-ops/imports',
      permission: 'catalogue:manage',
      render: () => <LabourOpImportsPage />,
    },
    {
      pattern: '/setup/labour-ops/imports/:id',
      permission: 'catalogue:manage',
      render: (p) => <LabourOpImportJobPage key={p.id} importId={p.id!} />,
    },
    {
      pattern: '/setup/checklists',
      permission: 'setup:read',
      render: () => <ChecklistsPage />,
      nav: 'nav.checklists',
    },
  ],
};
