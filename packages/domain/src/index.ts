export * from './audit.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './import.ts';
export * from './registry.ts';
export * from './tenancy.ts';
export * from './text.ts';
export * from './vin.ts';
