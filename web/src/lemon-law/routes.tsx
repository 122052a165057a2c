import type { Feature } from '../app/feature.ts';
import { LemonWatchPage } from './LemonWatchPage.tsx';
import { lemonLawMessages } from './messages.ts';

/** 三包预警: the store's list of vehicles under warning or alert (the banner is on the car's screens). */
export const lemonLaw: Feature<(typeof lemonLawMessages)['en']> = {
  name: 'lemon-law',
  messages: lemonLawMessages,
  storeRoutes: [
    {
      pattern: '/lemon-law',
      permission: 'lemon_law:read',
      render: () => <LemonWatchPage />,
      nav: 'nav.lemonLaw',
    },
  ],
};
