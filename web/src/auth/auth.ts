import type { AuthConfig } from '../config.ts';

/**
 * Sign-in for both environments behind one function: the local development identity provider
 * (OAuth password grant) and Amazon Cognito (USER_PASSWORD_AUTH). Both return an access token the
 * API verifies the same way. The token lives in sessionStorage: it ends with the tab.
 */
export const TOKEN_KEY = 'aftersales.token';

export type SignInFailure = 'credentials' | 'challenge' | 'network' | 'service';

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

async function post(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, method: 'POST' });
  } catch (e) {
    throw new SignInError('network', (e as Error).message);
  }
}

async function devToken(
  auth: Extract<AuthConfig, { mode: 'dev' }>,
  username: string,
  password: string,
): Promise<string> {
  const res = await post(auth.tokenUrl, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password, client_id: auth.clientId }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    access_token?: string;
    error?: string;
    error_description?: string;
  };
  if (res.ok && body.access_token) return body.access_token;
  if (body.error === 'invalid_grant')
    throw new SignInError('credentials', body.error_description ?? 'invalid_grant');
  throw new SignInError('service', body.error_description ?? `token endpoint answered ${res.status}`);
}

interface CognitoInitiateAuthResponse {
  AuthenticationResult?: { AccessToken?: string };
  ChallengeName?: string;
  __type?: string;
  message?: string;
}

async function cognitoToken(
  auth: Extract<AuthConfig, { mode: 'cognito' }>,
  username: string,
  password: string,
): Promise<string> {
  const res = await post(`https://cognito-idp.${auth.region}.amazonaws.com/`, {
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: auth.userPoolClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  });
  const body = (await res.json().catch(() => ({}))) as CognitoInitiateAuthResponse;
  const token = body.AuthenticationResult?.AccessToken;
  if (res.ok && token) return token;
  if (res.ok && body.ChallengeName) throw new SignInError('challenge', body.ChallengeName);
  const type = body.__type ?? '';
  if (/NotAuthorized|UserNotFound|PasswordResetRequired|UserNotConfirmed/.test(type)) {
    throw new SignInError('credentials', body.message ?? type);
  }
  throw new SignInError('service', body.message ?? `Cognito answered ${res.status}`);
}

/** Exchanges a username and password for an API access token. */
export function requestToken(auth: AuthConfig, username: string, password: string): Promise<string> {
  return auth.mode === 'dev' ? devToken(auth, username, password) : cognitoToken(auth, username, password);
}

/** Seconds since the epoch at which a JWT expires, if it says. */
function expiresAt(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/** The kept token, unless it has expired (or expires within a minute). */
export function storedToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const exp = expiresAt(token);
  if (exp !== undefined && exp * 1000 < Date.now() + 60_000) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return token;
}

export function keepToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
