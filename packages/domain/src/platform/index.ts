/** The domain's platform: what every capability builds on (errors, fields, ids, patches, projections, text,
 * tenancy). */
export * from './capability.ts';
export * from './errors.ts';
export * from './fields.ts';
export * from './identity.ts';
export * from './ids.ts';
export * from './local-time.ts';
export * from './money.ts';
export * from './patch.ts';
export * from './projection.ts';
export * from './tenancy.ts';
export * from './text.ts';
