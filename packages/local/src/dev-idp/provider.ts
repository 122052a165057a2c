import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Directory } from '@aftersales/data';
import {
  AssociateSoftwareTokenRequest,
  type AuthResponse,
  type ChallengeName,
  COGNITO_CONTENT_TYPE,
  COGNITO_TARGET_PREFIX,
  InitiateAuthRequest,
  newId,
  RespondToAuthChallengeRequest,
  RevokeTokenRequest,
  requiresMfa,
  SetUserMfaPreferenceRequest,
  type UserProfile,
  VerifySoftwareTokenRequest,
} from '@aftersales/domain';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Context, Hono } from 'hono';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type * as z from 'zod';
import { type DevIdpCredentials, DevIdpStore, hashPassword, passwordMatches } from './store.ts';
import { newTotpSecret, verifyTotp } from './totp.ts';

/**
 * The development identity provider. It speaks the part of the Cognito Identity Provider JSON protocol
 * the web app uses (POST `/dev-idp` with `X-Amz-Target`; @aftersales/domain `platform/identity.ts`
 * holds the shapes), so the web app's sign-in is one code path here and in AWS: passwords,
 * NEW_PASSWORD_REQUIRED for invited users, TOTP (SOFTWARE_TOKEN_MFA), MFA_SETUP, refresh and revocation.
 * It signs Cognito-shaped access tokens with a local RSA key and serves the public key as a JWKS, so the
 * API verifies local tokens exactly as it verifies Cognito's.
 *
 * One behaviour Cognito's pool (MFA optional) does not have: a user whose roles require MFA and who has
 * no authenticator gets MFA_SETUP after the password, as a pool with required MFA would answer; in AWS
 * the web app meets the same user after sign-in, as the API's MFA_ENROLMENT_REQUIRED.
 *
 * `/dev-idp/token` keeps the OAuth password and client-credentials grants for scripts and OEM machine
 * clients; a user with TOTP must send `mfa_code` there too.
 */
export const LOCAL_WEB_CLIENT_ID = 'local-web';
/** As the pool's web client (infra/lib/auth.ts). */
const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;
const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
/** Cognito's default lifetime of a challenge's session. */
const SESSION_TTL_SECONDS = 3 * 60;
/** What Cognito's access tokens from USER_PASSWORD_AUTH carry: it authorises the user's own operations. */
const USER_SCOPE = 'aws.cognito.signin.user.admin';

export interface DevIdpOptions {
  issuer: string;
  directory: Directory;
  /** Where the provider keeps passwords, TOTP secrets and refresh tokens: the local table. */
  dynamo: DynamoDBClient;
  tableName: string;
  /** The password of directory users the provider has no credentials for (the demo users). */
  password: string;
  /** The TOTP secret of those users when the directory marks them MFA-enrolled (the demo managers). */
  defaultTotpSecret: string;
  /** Machine clients (OEMs) allowed the client-credentials grant. */
  machineClients: readonly { clientId: string; clientSecret: string }[];
  /** Where to keep the signing key, so tokens survive a restart; in memory when absent. */
  keyDir?: string | undefined;
  /** The provider's clock (tests of expiry). */
  now?: () => number;
}

export interface DevIdp {
  app: Hono;
  clientIds: string[];
  store: DevIdpStore;
  /** Signs a token for a user directly (tests, CLI). */
  tokenFor: (sub: string, clientId?: string) => Promise<string>;
  /** Whether the user has a verified, enabled TOTP authenticator: what the API confirms enrolment with. */
  hasSoftwareTokenMfa: (user: Pick<UserProfile, 'username'>) => Promise<boolean>;
  /** Staff accounts, as the API's `IdentityAccounts` (AdminCreateUser, AdminDisableUser in Cognito). */
  createAccount: (account: { username: string }) => Promise<{ userId: string; temporaryPassword: string }>;
  setAccountEnabled: (username: string, enabled: boolean) => Promise<void>;
}

async function signingKey(keyDir: string | undefined): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const file = keyDir ? join(keyDir, 'dev-idp-key.json') : undefined;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const pair = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  if (file) writeFileSync(file, JSON.stringify(pair), { mode: 0o600 });
  return pair;
}

/** A Cognito error: HTTP 400 with the exception's name in `__type` (what SDKs and the web app read). */
class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const invalidSession = () => new CognitoError('NotAuthorizedException', 'Invalid session for the user.');

/** What a challenge's session carries: who, which step, until when. Signed, so the client cannot forge a step. */
interface SessionState {
  u: string;
  step: ChallengeName | 'MFA_SETUP_VERIFIED';
  exp: number;
}

/** The pool's password policy (infra/lib/auth.ts), so local sign-ups meet what Cognito will demand. */
function passwordProblem(password: string): string | undefined {
  if (password.length < 12) return 'Password not long enough';
  if (!/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (!/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (!/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (!/[^A-Za-z0-9]/.test(password)) return 'Password must have symbol characters';
  return undefined;
}

export async function createDevIdp(opts: DevIdpOptions): Promise<DevIdp> {
  const { privateJwk, publicJwk } = await signingKey(opts.keyDir);
  const key = await importJWK(privateJwk, 'RS256');
  const publicKey = await importJWK(publicJwk, 'RS256');
  // Sessions are signed with a key derived from the signing key: they survive the provider being made again.
  const sessionKey = createHmac('sha256', String(privateJwk.d)).update('dev-idp-session').digest();
  const store = new DevIdpStore(opts.dynamo, opts.tableName);
  const now = opts.now ?? Date.now;
  const clientIds = [LOCAL_WEB_CLIENT_ID, ...opts.machineClients.map((c) => c.clientId)];

  const tokenFor = (sub: string, clientId = LOCAL_WEB_CLIENT_ID, extra: Record<string, unknown> = {}) => {
    const iat = Math.floor(now() / 1000);
    // Cognito's scopes: a user's token carries its own-profile scope, a machine client's the OEM scope.
    const scope = sub === clientId ? 'aftersales/claims' : USER_SCOPE;
    return new SignJWT({ client_id: clientId, token_use: 'access', scope, ...extra })
      .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid ?? 'local' })
      .setIssuer(opts.issuer)
      .setSubject(sub)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
      .setJti(crypto.randomUUID())
      .sign(key);
  };

  const userToken = (user: { userId: string; username: string }, originJti: string) =>
    tokenFor(user.userId, LOCAL_WEB_CLIENT_ID, {
      username: user.username,
      scope: USER_SCOPE,
      origin_jti: originJti,
      auth_time: Math.floor(now() / 1000),
    });

  const seal = (state: Omit<SessionState, 'exp'>): string => {
    const body = Buffer.from(
      JSON.stringify({ ...state, exp: Math.floor(now() / 1000) + SESSION_TTL_SECONDS }),
    ).toString('base64url');
    return `${body}.${createHmac('sha256', sessionKey).update(body).digest('base64url')}`;
  };
  const open = (session: string, steps: readonly SessionState['step'][]): SessionState => {
    const [body, mac] = session.split('.');
    if (!body || !mac) throw invalidSession();
    const expected = createHmac('sha256', sessionKey).update(body).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidSession();
    const state = JSON.parse(Buffer.from(body, 'base64url').toString()) as SessionState;
    if (state.exp < now() / 1000)
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    if (!steps.includes(state.step)) throw invalidSession();
    return state;
  };

  /** The user's credentials: kept ones, or the demo defaults for a directory user the provider never saw. */
  const account = async (
    username: string,
  ): Promise<{ profile: UserProfile; creds: DevIdpCredentials } | undefined> => {
    const profile = await opts.directory.findUserByUsername(username);
    if (!profile) return undefined;
    const kept = await store.credentials(profile.username);
    const creds: DevIdpCredentials = kept ?? {
      userId: profile.id,
      username: profile.username,
      mustChangePassword: false,
      ...(profile.mfaEnrolled ? { totpSecret: opts.defaultTotpSecret, totpEnabled: true } : {}),
    };
    return { profile, creds };
  };
  /**
   * Cognito refuses a disabled user's sign-in and refresh (AdminDisableUser); here the directory's flag,
   * which `IdentityAdmin` sets with the account, is the provider's state too.
   */
  const refuseDisabled = async (userId: string) => {
    if ((await opts.directory.getPrincipal(userId))?.access.disabled)
      throw new CognitoError('NotAuthorizedException', 'User is disabled.');
  };
  const accountOrFail = async (username: string) => {
    const found = await account(username);
    if (!found) throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    await refuseDisabled(found.profile.id);
    return found;
  };
  const passwordOk = (creds: DevIdpCredentials, password: string) =>
    creds.passwordHash ? passwordMatches(password, creds.passwordHash) : password === opts.password;
  const needsMfa = async (userId: string) => {
    const principal = await opts.directory.getPrincipal(userId);
    return requiresMfa(principal?.memberships.flatMap((m) => m.roles) ?? []);
  };

  const tokens = async (creds: DevIdpCredentials): Promise<AuthResponse> => {
    const refresh = await store.issueRefreshToken(
      { userId: creds.userId, username: creds.username, clientId: LOCAL_WEB_CLIENT_ID },
      REFRESH_TOKEN_TTL_SECONDS,
      now(),
    );
    return {
      AuthenticationResult: {
        AccessToken: await userToken(creds, refresh.originJti),
        ExpiresIn: ACCESS_TOKEN_TTL_SECONDS,
        TokenType: 'Bearer',
        RefreshToken: refresh.token,
      },
      ChallengeParameters: {},
    };
  };
  const challenge = (name: ChallengeName, creds: DevIdpCredentials, params: Record<string, string> = {}) => ({
    ChallengeName: name,
    Session: seal({ u: creds.username, step: name }),
    ChallengeParameters: { USER_ID_FOR_SRP: creds.username, ...params },
  });
  /** After the password (and a new one, if it had to change): the second factor, or its set-up, or tokens. */
  const afterPassword = async (creds: DevIdpCredentials): Promise<AuthResponse> => {
    if (creds.totpSecret && creds.totpEnabled) return challenge('SOFTWARE_TOKEN_MFA', creds);
    if (await needsMfa(creds.userId))
      return challenge('MFA_SETUP', creds, { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' });
    return tokens(creds);
  };

  /** The signed-in user of an access token this provider issued and has not revoked. */
  const bearer = async (accessToken: string) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(accessToken, publicKey, {
        issuer: opts.issuer,
        currentDate: new Date(now()),
      }));
    } catch {
      throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    }
    if (payload.scope !== USER_SCOPE || typeof payload.username !== 'string')
      throw new CognitoError('NotAuthorizedException', 'Access Token does not have required scopes');
    const origin =
      typeof payload.origin_jti === 'string' ? await store.refreshRecord(payload.origin_jti) : undefined;
    if (origin?.revoked) throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
    return accountOrFail(payload.username);
  };
  const checkClient = (clientId: string) => {
    if (clientId !== LOCAL_WEB_CLIENT_ID)
      throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  };

  const operations: Record<string, (body: unknown) => Promise<object>> = {
    InitiateAuth: async (body) => {
      const req = parse(InitiateAuthRequest, body);
      checkClient(req.ClientId);
      if (req.AuthFlow === 'REFRESH_TOKEN_AUTH') {
        const record = await store.refreshToken(req.AuthParameters.REFRESH_TOKEN ?? '');
        if (!record || record.clientId !== req.ClientId || record.expiresAt < now() / 1000)
          throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
        if (record.revoked)
          throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
        await refuseDisabled(record.userId);
        return {
          AuthenticationResult: {
            AccessToken: await userToken(record, record.originJti),
            ExpiresIn: ACCESS_TOKEN_TTL_SECONDS,
            TokenType: 'Bearer',
          },
          ChallengeParameters: {},
        };
      }
      const { creds } = await accountOrFail(req.AuthParameters.USERNAME ?? '');
      if (!passwordOk(creds, req.AuthParameters.PASSWORD ?? ''))
        throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
      if (creds.mustChangePassword)
        return challenge('NEW_PASSWORD_REQUIRED', creds, { requiredAttributes: '[]', userAttributes: '{}' });
      return afterPassword(creds);
    },

    RespondToAuthChallenge: async (body) => {
      const req = parse(RespondToAuthChallengeRequest, body);
      checkClient(req.ClientId);
      const step = req.ChallengeName === 'MFA_SETUP' ? 'MFA_SETUP_VERIFIED' : req.ChallengeName;
      const state = open(req.Session, [step]);
      if ((req.ChallengeResponses.USERNAME ?? '').toLowerCase() !== state.u.toLowerCase())
        throw invalidSession();
      const { creds } = await accountOrFail(state.u);
      if (req.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
        const password = req.ChallengeResponses.NEW_PASSWORD ?? '';
        const problem = passwordProblem(password);
        if (problem)
          throw new CognitoError(
            'InvalidPasswordException',
            `Password does not conform to policy: ${problem}`,
          );
        const next = { ...creds, passwordHash: hashPassword(password), mustChangePassword: false };
        await store.putCredentials(next);
        return afterPassword(next);
      }
      if (req.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
        if (
          !creds.totpSecret ||
          !verifyTotp(creds.totpSecret, req.ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE ?? '', now())
        )
          throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
        return tokens(creds);
      }
      return tokens(creds);
    },

    AssociateSoftwareToken: async (body) => {
      const req = parse(AssociateSoftwareTokenRequest, body);
      const { username, session } = await caller(req);
      const { creds } = await accountOrFail(username);
      const secret = newTotpSecret();
      await store.putCredentials({ ...creds, pendingTotpSecret: secret });
      return session
        ? { SecretCode: secret, Session: seal({ u: creds.username, step: 'MFA_SETUP' }) }
        : { SecretCode: secret };
    },

    VerifySoftwareToken: async (body) => {
      const req = parse(VerifySoftwareTokenRequest, body);
      const { username, session } = await caller(req);
      const { creds } = await accountOrFail(username);
      if (!creds.pendingTotpSecret)
        throw new CognitoError(
          'InvalidParameterException',
          'Call AssociateSoftwareToken before VerifySoftwareToken.',
        );
      if (!verifyTotp(creds.pendingTotpSecret, req.UserCode, now()))
        throw new CognitoError(
          'EnableSoftwareTokenMFAException',
          'Code mismatch and fail enable Software Token MFA',
        );
      // A session's MFA_SETUP turns TOTP on, as Cognito does; with an access token, SetUserMFAPreference does.
      const { pendingTotpSecret, ...rest } = creds;
      await store.putCredentials({
        ...rest,
        totpSecret: pendingTotpSecret,
        totpEnabled: session ? true : (creds.totpEnabled ?? false),
      });
      return session
        ? { Status: 'SUCCESS', Session: seal({ u: creds.username, step: 'MFA_SETUP_VERIFIED' }) }
        : { Status: 'SUCCESS' };
    },

    SetUserMFAPreference: async (body) => {
      const req = parse(SetUserMfaPreferenceRequest, body);
      const { creds } = await bearer(req.AccessToken);
      if (req.SoftwareTokenMfaSettings.Enabled && !creds.totpSecret)
        throw new CognitoError('InvalidParameterException', 'User has not verified software token mfa');
      await store.putCredentials({ ...creds, totpEnabled: req.SoftwareTokenMfaSettings.Enabled });
      return {};
    },

    RevokeToken: async (body) => {
      const req = parse(RevokeTokenRequest, body);
      const record = await store.refreshToken(req.Token);
      // Like Cognito: an unknown or already revoked token is no error (the caller's goal is met).
      if (!record) return {};
      if (record.clientId !== req.ClientId)
        throw new CognitoError('UnauthorizedException', 'The token was not issued to this client.');
      await store.revoke(record.originJti);
      return {};
    },
  };

  /** Who calls an operation that takes an access token or an MFA_SETUP session (not both, as Cognito). */
  async function caller(req: { AccessToken?: string | undefined; Session?: string | undefined }) {
    if (req.AccessToken && !req.Session)
      return { username: (await bearer(req.AccessToken)).creds.username, session: false };
    if (req.Session && !req.AccessToken)
      return { username: open(req.Session, ['MFA_SETUP']).u, session: true };
    throw new CognitoError('InvalidParameterException', 'Send an AccessToken or a Session, not both.');
  }

  const app = new Hono();
  app.get('/.well-known/jwks.json', (c) => c.json({ keys: [publicJwk] }));
  app.post('/', async (c) => {
    const target = c.req.header('x-amz-target') ?? '';
    const operation = target.startsWith(COGNITO_TARGET_PREFIX)
      ? operations[target.slice(COGNITO_TARGET_PREFIX.length)]
      : undefined;
    try {
      if (!operation) throw new CognitoError('UnknownOperationException', `Unknown operation ${target}`);
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        throw new CognitoError('SerializationException', 'The body is not JSON.');
      }
      return cognitoJson(c, await operation(body), 200);
    } catch (e) {
      if (e instanceof CognitoError) return cognitoJson(c, { __type: e.type, message: e.message }, 400);
      throw e;
    }
  });

  app.post('/token', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const form: Record<string, string> = type.includes('application/json')
      ? await c.req.json<Record<string, string>>().catch(() => ({}))
      : Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
    const fail = (error: string, description: string) =>
      c.json({ error, error_description: description }, 400);
    if (form.grant_type === 'password') {
      const found = form.username ? await account(form.username) : undefined;
      if (!found || !passwordOk(found.creds, form.password ?? ''))
        return fail('invalid_grant', 'Unknown user or wrong password.');
      const { creds } = found;
      if (creds.mustChangePassword)
        return fail('invalid_grant', 'This user must set a new password first: sign in to the web app.');
      // No way round a second factor: a user with TOTP sends the current code.
      if (creds.totpSecret && creds.totpEnabled && !verifyTotp(creds.totpSecret, form.mfa_code ?? '', now()))
        return fail('invalid_grant', 'This user signs in with TOTP: send the current code as mfa_code.');
      const token = await userToken(creds, crypto.randomUUID());
      return c.json({ access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS });
    }
    if (form.grant_type === 'client_credentials') {
      const client = opts.machineClients.find(
        (m) => m.clientId === form.client_id && m.clientSecret === form.client_secret,
      );
      if (!client) return fail('invalid_client', 'Unknown client or wrong secret.');
      const token = await tokenFor(client.clientId, client.clientId);
      return c.json({ access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS });
    }
    return fail('unsupported_grant_type', 'Use grant_type=password or client_credentials.');
  });

  return {
    app,
    clientIds,
    store,
    tokenFor: (sub, clientId) => tokenFor(sub, clientId),
    hasSoftwareTokenMfa: async (user) => {
      const found = await account(user.username);
      return Boolean(found?.creds.totpSecret && found.creds.totpEnabled);
    },
    // As AdminCreateUser: a temporary password to replace at first sign-in (NEW_PASSWORD_REQUIRED). Cognito
    // e-mails it; this provider has no mail, so it answers it and the local API shows it once.
    createAccount: async (account) => {
      const userId = newId('usr');
      const temporaryPassword = temporaryPasswordFor();
      await store.invite({ userId, username: account.username, temporaryPassword });
      return { userId, temporaryPassword };
    },
    // Enabled is the directory's flag here (checked at sign-in and refresh above), set beside this call.
    setAccountEnabled: async () => {},
  };
}

/** A temporary password the pool's policy accepts: 12+ characters, both cases, a digit and a symbol. */
function temporaryPasswordFor(): string {
  return `Tmp-${randomBytes(9).toString('base64url')}a7!`;
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new CognitoError(
      'InvalidParameterException',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

function cognitoJson(c: Context, body: object, status: 200 | 400): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': COGNITO_CONTENT_TYPE });
}
