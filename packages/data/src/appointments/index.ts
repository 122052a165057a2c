/** 预约: the booking's declaration, its day items and repository, and its HQ figures' counting. */

export * from './appointments.ts';
export * from './booking.ts';
export * from './hq-figures.ts';
export * from './public-booking.ts';
