import { partImports } from '../parts/imports.ts';
import { movements } from '../parts/movements.ts';
import { parts } from '../parts/routes.ts';
import { stock } from '../parts/stock.ts';
import { purchasing } from '../purchasing/routes.ts';
import { stocktakes } from '../stocktakes/routes.ts';
import { writeOffs } from '../write-offs/routes.ts';
import type { RouteGroup } from './group.ts';

/**
 * 配件 · 仓库: the parts catalogue and stock, purchasing, stocktakes and write-offs (functions/api-warehouse).
 * Every path is under one of `WAREHOUSE_STORE_PATHS`.
 */
export const WAREHOUSE: RouteGroup = {
  name: 'warehouse',
  mount(app) {
    app.route('/v1/stores/:storeId/parts', parts);
    app.route('/v1/stores/:storeId/parts', movements());
    app.route('/v1/stores/:storeId/part-imports', partImports);
    app.route('/v1/stores/:storeId/stock', stock());
    app.route('/v1/stores/:storeId/purchasing', purchasing);
    app.route('/v1/stores/:storeId/stocktakes', stocktakes);
    app.route('/v1/stores/:storeId/write-offs', writeOffs);
  },
};
