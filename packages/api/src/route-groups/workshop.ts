import { claims } from '../claims/routes.ts';
import { lemonLaw } from '../lemon-law/routes.ts';
import { approvalLinks } from '../repair-orders/approval-links.ts';
import { publicApproval } from '../repair-orders/public-approval.ts';
import { repairOrders, workshopBoard } from '../repair-orders/routes.ts';
import { walkAround } from '../repair-orders/walk-around.ts';
import type { RouteGroup } from './group.ts';

/**
 * 车间: repair orders from reception to delivery and the warranty claims filed from them
 * (functions/api-workshop), a function of its own so the office's bundle does not carry them. Every path
 * is under one of `WORKSHOP_STORE_PATHS`.
 */
export const WORKSHOP: RouteGroup = {
  name: 'workshop',
  mount(app, deps, { now }) {
    app.route('/v1/stores/:storeId/repair-orders', repairOrders);
    app.route('/v1/stores/:storeId/repair-orders', approvalLinks);
    app.route('/v1/stores/:storeId/workshop-board', workshopBoard);
    app.route('/v1/stores/:storeId/repair-orders', walkAround);
    app.route('/v1/stores/:storeId/claims', claims(deps.data));
    app.route('/v1/stores/:storeId/lemon-law', lemonLaw);
    // 远程确认: the customer's link to a quote, public (API Gateway routes its path here, not to the office).
    app.route('/public/v1/stores/:storeId', publicApproval(deps.data, now));
  },
};
