import { approvalLinks } from '../repair-orders/approval-links.ts';
import { repairOrders, workshopBoard } from '../repair-orders/routes.ts';
import { walkAround } from '../repair-orders/walk-around.ts';
import type { RouteGroup } from './group.ts';

/**
 * 车间: repair orders from reception to delivery (functions/api-workshop), a function of its own so the
 * office's bundle does not carry them. Every path is under one of `WORKSHOP_STORE_PATHS`.
 */
export const WORKSHOP: RouteGroup = {
  name: 'workshop',
  mount(app) {
    app.route('/v1/stores/:storeId/repair-orders', repairOrders);
    app.route('/v1/stores/:storeId/repair-orders', approvalLinks);
    app.route('/v1/stores/:storeId/workshop-board', workshopBoard);
    app.route('/v1/stores/:storeId/repair-orders', walkAround);
  },
};
