import { MessageProvider, MessageView } from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The outbox bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({ Message: MessageView });

export const Pages = {
  MessagePage: pageOf(Bodies.Message, 'MessagePage', {
    sender: MessageProvider.meta({
      description:
        'Who delivers messages here: `sms` (Amazon End User Messaging SMS), or `local-outbox`, which sends nothing and only records what would have been sent.',
    }),
  }),
};
