import type { Feature } from '../app/feature.ts';
import { BoardPage } from './BoardPage.tsx';
import { DispatchPage } from './DispatchPage.tsx';
import { MyWorkPage } from './MyWorkPage.tsx';
import { workshopMessages } from './messages.ts';
import './workshop.css';

/** 车间: the board every role reads, the technician's own lines, the workshop manager's dispatch and checks. */
export const workshop: Feature<(typeof workshopMessages)['en']> = {
  name: 'workshop',
  messages: workshopMessages,
  storeRoutes: [
    {
      pattern: '/workshop/board',
      permission: 'repair_order:read',
      render: () => <BoardPage />,
      nav: 'nav.workshopBoard',
    },
    {
      pattern: '/workshop/my-work',
      permission: 'repair_order:clock',
      render: () => <MyWorkPage />,
      nav: 'nav.myWork',
    },
    {
      pattern: '/workshop/dispatch',
      permission: 'repair_order:dispatch',
      render: () => <DispatchPage />,
      nav: 'nav.dispatch',
    },
  ],
};
