import {
  AssociateSoftwareTokenResponse,
  type AuthenticationResult,
  AuthResponse,
  type ChallengeName,
  COGNITO_CONTENT_TYPE,
  COGNITO_TARGET_PREFIX,
  CognitoErrorBody,
  EmptyResponse,
  VerifySoftwareTokenResponse,
} from '@aftersales/domain';
import { type AuthConfig, identityEndpoint } from '../config.ts';

/**
 * Sign-in with the Cognito Identity Provider JSON protocol, one code path for both environments: Cognito
 * in AWS, the development identity provider locally (it speaks the same operations; see
 * @aftersales/domain `platform/identity.ts` for the shapes). The access and refresh tokens live in
 * sessionStorage: they end with the tab.
 */
const ACCESS_KEY = 'aftersales.token';
const REFRESH_KEY = 'aftersales.refresh';

export type SignInFailure =
  /** Wrong username or password. */
  | 'credentials'
  /** A wrong or stale one-time code. */
  | 'code'
  /** A new password the pool's policy refuses. */
  | 'password'
  /** The challenge took too long (Cognito's sessions last 3 minutes): start again. */
  | 'expired'
  | 'network'
  | 'service';

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

const FAILURES: Readonly<Record<string, SignInFailure>> = {
  UserNotFoundException: 'credentials',
  PasswordResetRequiredException: 'credentials',
  UserNotConfirmedException: 'credentials',
  CodeMismatchException: 'code',
  ExpiredCodeException: 'code',
  EnableSoftwareTokenMFAException: 'code',
  InvalidPasswordException: 'password',
};

function failureOf(type: string, message: string): SignInFailure {
  // Cognito names an expired challenge and a wrong password with the same exception.
  if (type === 'NotAuthorizedException') return /session/i.test(message) ? 'expired' : 'credentials';
  return FAILURES[type] ?? 'service';
}

/** A response schema of the protocol (a zod schema of the domain package). */
interface ResponseSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** One operation of the protocol: POST with `X-Amz-Target`, the answer parsed with its schema. */
async function call<T>(
  auth: AuthConfig,
  operation: string,
  body: object,
  schema: ResponseSchema<T>,
  /** Lets the request finish after the page is left (sign-out). */
  keepalive = false,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(identityEndpoint(auth), {
      method: 'POST',
      headers: {
        'Content-Type': COGNITO_CONTENT_TYPE,
        'X-Amz-Target': `${COGNITO_TARGET_PREFIX}${operation}`,
      },
      body: JSON.stringify(body),
      keepalive,
    });
  } catch (e) {
    throw new SignInError('network', (e as Error).message);
  }
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = CognitoErrorBody.safeParse(json);
    const type = error.success ? error.data.__type.split('#').pop()! : '';
    const message = (error.success && error.data.message) || `${operation} answered ${res.status}`;
    throw new SignInError(failureOf(type, message), message);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SignInError('service', `${operation} answered an unexpected body`);
  return parsed.data;
}

/** A challenge to answer before the tokens: which, for whom, and the session that carries it. */
export interface Challenge {
  name: ChallengeName;
  username: string;
  session: string;
}

export type SignInStep =
  | { kind: 'signed-in'; tokens: AuthenticationResult }
  | { kind: 'challenge'; challenge: Challenge };

function step(out: AuthResponse, username: string): SignInStep {
  if (out.AuthenticationResult) return { kind: 'signed-in', tokens: out.AuthenticationResult };
  if (out.ChallengeName && out.Session)
    return { kind: 'challenge', challenge: { name: out.ChallengeName, username, session: out.Session } };
  throw new SignInError('service', 'The identity provider answered neither tokens nor a challenge.');
}

/** InitiateAuth with USER_PASSWORD_AUTH: tokens, or the first challenge. */
export async function signInWithPassword(
  auth: AuthConfig,
  username: string,
  password: string,
): Promise<SignInStep> {
  const out = await call(
    auth,
    'InitiateAuth',
    {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: auth.userPoolClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    },
    AuthResponse,
  );
  return step(out, username);
}

/** RespondToAuthChallenge: NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, or MFA_SETUP once the app is verified. */
export async function answerChallenge(
  auth: AuthConfig,
  challenge: Challenge,
  answer: { NEW_PASSWORD: string } | { SOFTWARE_TOKEN_MFA_CODE: string } | Record<string, never>,
): Promise<SignInStep> {
  const out = await call(
    auth,
    'RespondToAuthChallenge',
    {
      ChallengeName: challenge.name,
      ClientId: auth.userPoolClientId,
      Session: challenge.session,
      ChallengeResponses: { USERNAME: challenge.username, ...answer },
    },
    AuthResponse,
  );
  return step(out, challenge.username);
}

/** Who sets up TOTP: a signed-in user (access token), or a user in an MFA_SETUP challenge (its session). */
export type TotpAuthority = { AccessToken: string } | { Session: string };

/** AssociateSoftwareToken: a new secret (base32) for the user's authenticator app. */
export function associateTotp(auth: AuthConfig, by: TotpAuthority) {
  return call(auth, 'AssociateSoftwareToken', by, AssociateSoftwareTokenResponse);
}

/** VerifySoftwareToken: proves the app has the secret; a wrong code fails with reason `code`. */
export async function verifyTotp(auth: AuthConfig, by: TotpAuthority, code: string) {
  const out = await call(auth, 'VerifySoftwareToken', { ...by, UserCode: code }, VerifySoftwareTokenResponse);
  if (out.Status !== 'SUCCESS') throw new SignInError('code', 'The code does not match.');
  return out;
}

/** SetUserMFAPreference: from now on, sign-in asks for the app's code. */
export async function enableTotp(auth: AuthConfig, accessToken: string): Promise<void> {
  await call(
    auth,
    'SetUserMFAPreference',
    { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } },
    EmptyResponse,
  );
}

/** InitiateAuth with REFRESH_TOKEN_AUTH: a new access token (the refresh token stays the same). */
export async function refreshTokens(auth: AuthConfig, refreshToken: string): Promise<AuthenticationResult> {
  const out = await call(
    auth,
    'InitiateAuth',
    {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: auth.userPoolClientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    },
    AuthResponse,
  );
  if (!out.AuthenticationResult) throw new SignInError('service', 'Refreshing answered no tokens.');
  return out.AuthenticationResult;
}

/** RevokeToken: the refresh token, and the access tokens issued from it, stop working. */
export async function revokeRefreshToken(auth: AuthConfig, refreshToken: string): Promise<void> {
  await call(
    auth,
    'RevokeToken',
    { Token: refreshToken, ClientId: auth.userPoolClientId },
    EmptyResponse,
    true,
  );
}

/** Seconds since the epoch at which a JWT expires, if it says. */
export function expiresAt(token: string): number | undefined {
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

/** The kept access token, unless it has expired (or expires within a minute). */
export function storedToken(): string | null {
  const token = sessionStorage.getItem(ACCESS_KEY);
  if (!token) return null;
  const exp = expiresAt(token);
  if (exp !== undefined && exp * 1000 < Date.now() + 60_000) {
    sessionStorage.removeItem(ACCESS_KEY);
    return null;
  }
  return token;
}

export function storedRefreshToken(): string | null {
  return sessionStorage.getItem(REFRESH_KEY);
}

/** Keeps what sign-in or a refresh gave (a refresh gives no new refresh token: the old one stays). */
export function keepTokens(tokens: AuthenticationResult): void {
  sessionStorage.setItem(ACCESS_KEY, tokens.AccessToken);
  if (tokens.RefreshToken) sessionStorage.setItem(REFRESH_KEY, tokens.RefreshToken);
}

export function forgetTokens(): void {
  sessionStorage.removeItem(ACCESS_KEY);
  sessionStorage.removeItem(REFRESH_KEY);
}

/** The `otpauth://` URI authenticator apps read from a QR code (Google Authenticator's key URI format). */
export function otpauthUri(secret: string, username: string): string {
  const issuer = 'Aftersales Cloud';
  return `otpauth://totp/${encodeURIComponent(`${issuer}:${username}`)}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}
