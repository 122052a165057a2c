import type { RouteGroup } from './group.ts';

/**
 * 配件 · 仓库: the parts catalogue and stock, purchasing, stocktakes and write-offs (functions/api-warehouse).
 * Every path is under one of `WAREHOUSE_STORE_PATHS`.
 */
export const WAREHOUSE: RouteGroup = {
  name: 'warehouse',
  mount() {},
};
