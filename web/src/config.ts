/** Runtime configuration, served next to the app as `/config.json` (different per environment, never bundled). */

/**
 * The identity provider, spoken to with Cognito's JSON protocol: Cognito's regional endpoint in AWS,
 * and locally the development identity provider, whose `endpoint` the local server gives.
 */
export interface AuthConfig {
  mode: 'cognito';
  region: string;
  userPoolClientId: string;
  /** Where to send the protocol's requests; absent: `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string;
}

export interface AppConfig {
  /** Prefix for API calls; '' when the API is served from the same origin. */
  apiBase: string;
  auth: AuthConfig;
}

function isAuthConfig(v: unknown): v is AuthConfig {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  return (
    a.mode === 'cognito' &&
    typeof a.region === 'string' &&
    typeof a.userPoolClientId === 'string' &&
    (a.endpoint === undefined || typeof a.endpoint === 'string')
  );
}

export function identityEndpoint(auth: AuthConfig): string {
  return auth.endpoint ?? `https://cognito-idp.${auth.region}.amazonaws.com/`;
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/config.json answered ${res.status}`);
  const body: unknown = await res.json();
  const c = body as Partial<AppConfig>;
  if (typeof c.apiBase !== 'string' || !isAuthConfig(c.auth))
    throw new Error('/config.json is not a valid configuration');
  return { apiBase: c.apiBase.replace(/\/$/, ''), auth: c.auth };
}
