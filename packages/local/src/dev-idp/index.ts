/** The development identity provider (Cognito's protocol, locally) and its TOTP. */
export * from './provider.ts';
export * from './store.ts';
export * from './totp.ts';
