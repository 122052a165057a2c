import type { Feature } from '../app/feature.ts';
import { HqHome } from './HqHome.tsx';
import { hqMessages } from './messages.ts';

/** 集团看板: outside any store, in the group's own partition. */
export const hq: Feature<(typeof hqMessages)['en']> = {
  name: 'hq',
  messages: hqMessages,
  routes: [{ pattern: '/hq/:groupId', render: (p) => <HqHome key={p.groupId} groupId={p.groupId!} /> }],
};
