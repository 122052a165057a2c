/** 报损: write-off requests, their three confirmations, the loss split and the move into custody. */

export * from './model.ts';
export * from './rules.ts';
