/** 报损: the write-off's declaration and repository (its move into custody goes through the stock ledger). */
export * from './write-offs.ts';
