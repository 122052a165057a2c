/** 预约: bookings of workshop time, their capacity and their state machine. */

export * from './model.ts';
export * from './public-booking.ts';
export * from './rules.ts';
