// The platform, then every capability's folder, then what is derived from the capabilities' list.
export * from './appointments/index.ts';
export * from './audit.ts';
export * from './capabilities.ts';
export * from './decision.ts';
export * from './events.ts';
export * from './hq/index.ts';
export * from './imports/index.ts';
export * from './messages/index.ts';
export * from './parts/index.ts';
export * from './platform/index.ts';
export * from './purchasing/index.ts';
export * from './registry/index.ts';
export * from './repair-orders/index.ts';
export * from './setup/index.ts';
export * from './staff/index.ts';
export * from './stocktakes/index.ts';
export * from './write-offs/index.ts';
