import type { Feature } from '../app/feature.ts';
import { FrontDesk } from './FrontDesk.tsx';
import { searchMessages } from './messages.ts';

/** 前台查询: a store's home page. */
export const search: Feature<(typeof searchMessages)['en']> = {
  name: 'search',
  messages: searchMessages,
  storeRoutes: [
    { pattern: '/', permission: 'registry:read', render: () => <FrontDesk />, nav: 'nav.frontDesk' },
  ],
};
