import type { Feature } from '../app/feature.ts';
import { ImportJobPage, ImportsPage } from './ImportsPage.tsx';
import { importMessages } from './messages.ts';

/** 数据导入: upload a CSV, follow an import. */
export const imports: Feature<(typeof importMessages)['en']> = {
  name: 'imports',
  messages: importMessages,
  storeRoutes: [
    { pattern: '/imports', permission: 'registry:import', render: () => <ImportsPage />, nav: 'nav.imports' },
    {
      pattern: '/imports/:id',
      permission: 'registry:import',
      render: (p) => <ImportJobPage key={p.id} importId={p.id!} />,
    },
  ],
};
