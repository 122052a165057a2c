/** 配件 · 仓库: the catalogue and the stock ledger's declarations and repositories, and their HQ figures' counting. */
export * from './bookings.ts';
export * from './hq-figures.ts';
export * from './idle.ts';
export * from './idle-due.ts';
export * from './parts.ts';
export * from './parts-import.ts';
export * from './stock.ts';
