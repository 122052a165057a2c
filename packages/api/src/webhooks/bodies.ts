import {
  WebhookDelivery,
  WebhookDeliverySummary,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpointWithSecret,
} from '@aftersales/domain/webhooks';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The webhook API's bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  WebhookEndpointInput,
  WebhookEndpointPatch,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  WebhookDelivery,
  WebhookDeliverySummary,
});

export const Pages = {
  WebhookEndpointPage: pageOf(Bodies.WebhookEndpoint, 'WebhookEndpointPage'),
  WebhookDeliveryPage: pageOf(Bodies.WebhookDeliverySummary, 'WebhookDeliveryPage'),
};
