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
