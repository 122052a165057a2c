/**
 * Configuration from the environment, read once at cold start. A missing required value fails the
 * function's start instead of its first request.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(`Environment variable ${name} is required but not set.`);
  }
  return value;
}

export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A request limit: `perSecond` on average, `burst` at once (see the API's rate-limit.ts). */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** The API's per-client limits: each user in each store, and each tenant (store or dealer group) as a whole. */
export interface RateLimits {
  user: RateLimit;
  tenant: RateLimit;
}

/** Defaults: a person at a screen makes a few requests a second; a store's whole staff, several times that. */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  user: { perSecond: 20, burst: 40 },
  tenant: { perSecond: 100, burst: 200 },
};

function positiveIntEnv(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${name} must be a whole number ≥ 1, not "${raw}".`);
  return n;
}

/** `RATE_LIMIT_USER_RPS`, `RATE_LIMIT_USER_BURST`, `RATE_LIMIT_TENANT_RPS`, `RATE_LIMIT_TENANT_BURST`. */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const limit = (scope: 'USER' | 'TENANT', fallback: RateLimit): RateLimit => {
    const perSecond = positiveIntEnv(`RATE_LIMIT_${scope}_RPS`, fallback.perSecond, env);
    const burst = positiveIntEnv(`RATE_LIMIT_${scope}_BURST`, Math.max(fallback.burst, perSecond), env);
    if (burst < perSecond)
      throw new ConfigError(`RATE_LIMIT_${scope}_BURST must be at least RATE_LIMIT_${scope}_RPS.`);
    return { perSecond, burst };
  };
  return {
    user: limit('USER', DEFAULT_RATE_LIMITS.user),
    tenant: limit('TENANT', DEFAULT_RATE_LIMITS.tenant),
  };
}
