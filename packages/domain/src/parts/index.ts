/** 配件 · 仓库: the parts catalogue, the stock ledger by bin, reservations and pick lists. */

export * from './import.ts';
export * from './model.ts';
export * from './rules.ts';
