/** 盘点: the stocktake's declaration and repository (its adjustments go through the stock ledger). */
export * from './stocktakes.ts';
