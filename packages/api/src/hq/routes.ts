import type { DataAccess } from '@aftersales/data';
import { groupFiguresView } from '@aftersales/domain';
import * as z from 'zod';
import { json, tenantIdParam } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies } from './bodies.ts';

export const GroupParams = z.object({
  groupId: tenantIdParam('groupId', 'grp_HUACHEN'),
});

/** Group headquarters (集团总部): figures per store, read from the group's own partition. */
export function hq(data: DataAccess) {
  const app = new ApiRoutes();
  app.openapi(
    {
      method: 'get',
      path: '/stores/figures',
      operationId: 'getGroupStoreFigures',
      permission: 'hq:read',
      tags: ['HQ'],
      summary: 'Every store of the group with its figures, and the group totals',
      description:
        'Customers, vehicles, vehicles served in the last 30 days (each store’s own days, ending with its today), CSV imports and the rows they could not import, head counts by role, bookings kept and missed in the last 30 days, stock and parts figures, and repair orders over the last 30 days (opened, delivered, delivered on time, fixed first time, comebacks, settled revenue per payer net of VAT, flat-rate tenths and clocked minutes of delivered orders), and warranty claims over the last 30 days (索赔: first submissions and the amount they claimed, the OEM’s decisions by outcome, a decision on appeal included, and by each rejection or adjustment reason they give, claims paid and the amount paid), per store and in total; and rates derived from them when read (the no-show rate, 爽约率: no-shows over kept bookings and no-shows; on-time delivery, first-time fix, labour efficiency 工时效率, hours per RO, comeback rate; the claims’ rejection rate 拒赔率 and full acceptance over their decisions, and the amount paid over the amount claimed), null while there is nothing to divide by, the total from the group’s summed counts. Projected from the stores’ events: one item per store, so this reads as many items as the group has stores. A store with nothing projected yet shows zeros.',
      request: { params: GroupParams },
      responses: { 200: json(Bodies.GroupFiguresView, 'The group’s stores and their figures') },
    },
    async (c) => {
      const { groupId } = c.req.valid('param');
      const [stores, figures] = await Promise.all([
        data.directory.groupStores(groupId),
        data.groupFigures(groupId).list(),
      ]);
      return c.json(groupFiguresView(groupId, stores, figures, new Date()), 200);
    },
  );
  return app;
}
