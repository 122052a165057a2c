/** Runtime configuration, served next to the app as `/config.json` (different per environment, never bundled). */
export type AuthConfig =
  | { mode: 'dev'; tokenUrl: string; clientId: string }
  | { mode: 'cognito'; region: string; userPoolClientId: string };

export interface AppConfig {
  /** Prefix for API calls; '' when the API is served from the same origin. */
  apiBase: string;
  auth: AuthConfig;
}

function isAuthConfig(v: unknown): v is AuthConfig {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  if (a.mode === 'dev') return typeof a.tokenUrl === 'string' && typeof a.clientId === 'string';
  if (a.mode === 'cognito') return typeof a.region === 'string' && typeof a.userPoolClientId === 'string';
  return false;
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
