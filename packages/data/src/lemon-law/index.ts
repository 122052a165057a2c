/** 三包预警: each vehicle's counters, kept from its delivered orders, and the store's list of vehicles to watch. */
export * from './lemon-law.ts';
