import { oemClaims } from '../claims/oem-routes.ts';
import { webhookDeliveries, webhookEndpoints } from '../webhooks/routes.ts';
import type { RouteGroup } from './group.ts';

/**
 * 厂家 API: the manufacturer API under `/v1/oems/{oemId}` (functions/api-oem), a function of its own: OEM
 * systems call it as machine clients, at their own pace, and its weight stays out of the stores' bundles.
 * Every path is under `OEM_PATH_PREFIX`.
 */
export const OEM: RouteGroup = {
  name: 'oem',
  mount(app, deps) {
    const policy = { allowLoopbackHttp: deps.webhooks?.allowLoopbackHttp ?? false };
    app.route('/v1/oems/:oemId/webhook-endpoints', webhookEndpoints(policy));
    app.route('/v1/oems/:oemId/webhook-deliveries', webhookDeliveries());
    app.route('/v1/oems/:oemId/claims', oemClaims(deps.data));
  },
};
