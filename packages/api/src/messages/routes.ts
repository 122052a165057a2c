import { MESSAGE, Outbox } from '@aftersales/data/messages';
import { MessageStatus, messageView, type OutboundMessage } from '@aftersales/domain';
import type { Context } from 'hono';
import type { AppEnv } from '../platform/env.ts';
import { json, PageQuery, recordParams, StoreParams } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

const tags = ['Messages'];
const MessageParams = recordParams(MESSAGE);
const MessageListQuery = PageQuery.extend({
  status: MessageStatus.optional().meta({
    description: 'Only messages in this status (an index of its own).',
  }),
});

/** The message as the caller may see it: the whole number only for roles that contact customers. */
const view = (c: Context<AppEnv>, message: OutboundMessage) =>
  messageView(message, c.get('access').permissions.has('customer:contact'));

/**
 * 消息记录: the store's outbox, read-only. Messages are queued by the capabilities that cause them
 * (bookings, later approvals and surveys), never through a route.
 */
export function messages(sender: 'sms' | 'local-outbox') {
  const routes = new ApiRoutes();

  routes.openapi(
    {
      method: 'get',
      path: '/',
      operationId: 'listMessages',
      permission: 'message:read',
      tags,
      summary: 'The store’s messages to customers, newest first, paged; optionally of one status',
      request: { params: StoreParams, query: MessageListQuery },
      responses: { 200: json(Pages.MessagePage, 'Messages') },
    },
    async (c) => {
      const { status, ...page } = c.req.valid('query');
      const found = await c.get('tenant').repo(Outbox).list(page, status);
      return c.json({ ...found, items: found.items.map((m) => view(c, m)), sender }, 200);
    },
  );

  routes.openapi(
    {
      method: 'get',
      path: '/{messageId}',
      operationId: 'getMessage',
      permission: 'message:read',
      tags,
      summary: 'One message with its delivery status',
      request: { params: MessageParams },
      responses: { 200: json(Bodies.Message, 'The message') },
    },
    async (c) => {
      const message = await c.get('tenant').repo(Outbox).require(c.req.valid('param').messageId);
      return c.json(view(c, message), 200);
    },
  );

  return routes;
}
