import type { Feature } from '../app/feature.ts';
import { MessagesPage } from './MessagesPage.tsx';
import { outboxMessages } from './messages.ts';

/** 消息记录: those who book and call customers see what was sent to them, and why not. */
export const messages: Feature<(typeof outboxMessages)['en']> = {
  name: 'messages',
  messages: outboxMessages,
  storeRoutes: [
    { pattern: '/messages', permission: 'message:read', render: () => <MessagesPage />, nav: 'nav.messages' },
  ],
};
