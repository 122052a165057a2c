import type { Feature } from '../app/feature.ts';
import { ArchivePage } from './ArchivePage.tsx';
import { ClaimPage } from './ClaimPage.tsx';
import { claimMessages } from './messages.ts';
import { WorklistPage } from './WorklistPage.tsx';

/** 索赔: the claims specialist's worklist, the claim with its pre-check, and the archive with its export. */
export const claims: Feature<(typeof claimMessages)['en']> = {
  name: 'claims',
  messages: claimMessages,
  storeRoutes: [
    { pattern: '/claims', permission: 'claim:read', render: () => <WorklistPage />, nav: 'nav.claims' },
    // Before `:id`, which would take `archive` for a claim's id.
    {
      pattern: '/claims/archive',
      permission: 'claim:read',
      render: () => <ArchivePage />,
      nav: 'nav.claimArchive',
    },
    {
      pattern: '/claims/:id',
      permission: 'claim:read',
      render: (p) => <ClaimPage key={p.id} claimId={p.id!} />,
    },
  ],
};
