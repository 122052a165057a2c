/** 三包预警: the statutory thresholds as rulesets, a vehicle's counters folded from its repairs, and the warning. */

export * from './model.ts';
export * from './record.ts';
export * from './rules.ts';
export * from './rulesets.ts';
export * from './visits.ts';
