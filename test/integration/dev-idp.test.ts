import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataAccess } from '@aftersales/data';
import { COGNITO_CONTENT_TYPE, COGNITO_TARGET_PREFIX } from '@aftersales/domain';
import { createDevIdp, LOCAL_WEB_CLIENT_ID, totp } from '@aftersales/local';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '@aftersales/seed';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { call, stack, useStackEnv } from '../support/api.ts';
import { demo, newStoreUser } from '../support/demo.ts';

/**
 * The development identity provider's Cognito protocol, over HTTP against the running stack (the web
 * app's requests, shape for shape), and the API's MFA enrolment rule that goes with it.
 */

interface Answer {
  status: number;
  body: Record<string, unknown> & {
    __type?: string;
    message?: string;
    Session?: string;
    ChallengeName?: string;
    SecretCode?: string;
    AuthenticationResult?: {
      AccessToken: string;
      RefreshToken?: string;
      ExpiresIn: number;
      TokenType: string;
    };
  };
}

/** Sends a request to the provider: over HTTP to the stack's, or in-process to one made by a test. */
type Fetcher = (init: RequestInit) => Promise<Response> | Response;
const overHttp: Fetcher = (init) => fetch(`${stack.url}/dev-idp`, init);

async function cognito(operation: string, body: object, send: Fetcher = overHttp): Promise<Answer> {
  const res = await send({
    method: 'POST',
    headers: { 'content-type': COGNITO_CONTENT_TYPE, 'x-amz-target': `${COGNITO_TARGET_PREFIX}${operation}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const passwordAuth = (username: string, password: string, send?: Fetcher) =>
  cognito(
    'InitiateAuth',
    {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: LOCAL_WEB_CLIENT_ID,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    },
    send,
  );
const respond = (
  name: string,
  username: string,
  session: string,
  answer: Record<string, string> = {},
  send?: Fetcher,
) =>
  cognito(
    'RespondToAuthChallenge',
    {
      ChallengeName: name,
      ClientId: LOCAL_WEB_CLIENT_ID,
      Session: session,
      ChallengeResponses: { USERNAME: username, ...answer },
    },
    send,
  );

/** A TOTP code that is certainly not the current one (nor one step either side). */
function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => totp(secret, Date.now() + s * 30_000)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

async function api(token: string, method: string, path: string) {
  const res = await fetch(`${stack.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('sign-in with the Cognito protocol', () => {
  it('gives a user without MFA Cognito-shaped tokens for the password', async () => {
    // Act
    const out = await passwordAuth(demo.advisorA, DEMO_PASSWORD);

    // Assess
    expect(out.status).toBe(200);
    const result = out.body.AuthenticationResult!;
    expect(result).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(result.RefreshToken).toMatch(/\S{40,}/);
    const claims = decodeJwt(result.AccessToken);
    expect(claims).toMatchObject({
      token_use: 'access',
      client_id: LOCAL_WEB_CLIENT_ID,
      sub: demo.advisorAId,
    });
    for (const claim of ['iat', 'exp', 'jti', 'origin_jti']) expect(claims).toHaveProperty(claim);
    expect((await api(result.AccessToken, 'GET', '/v1/me')).status).toBe(200);
  });

  it('refuses a wrong password as Cognito does', async () => {
    const out = await passwordAuth(demo.advisorA, 'not-the-password');
    expect(out.status).toBe(400);
    expect(out.body.__type).toBe('NotAuthorizedException');
  });

  it('challenges a user with TOTP for the code, and refuses a wrong one with CodeMismatchException', async () => {
    // Prepare
    const first = await passwordAuth(demo.managerA, DEMO_PASSWORD);
    expect(first.body).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA' });
    expect(first.body.AuthenticationResult).toBeUndefined();

    // Act
    const wrong = await respond('SOFTWARE_TOKEN_MFA', demo.managerA, first.body.Session!, {
      SOFTWARE_TOKEN_MFA_CODE: wrongCode(DEMO_TOTP_SECRET),
    });
    const right = await respond('SOFTWARE_TOKEN_MFA', demo.managerA, first.body.Session!, {
      SOFTWARE_TOKEN_MFA_CODE: totp(DEMO_TOTP_SECRET),
    });

    // Assess
    expect(wrong).toMatchObject({ status: 400, body: { __type: 'CodeMismatchException' } });
    expect(right.status).toBe(200);
    const token = right.body.AuthenticationResult!.AccessToken;
    expect((await api(token, 'GET', `/v1/stores/${demo.storeA}`)).status).toBe(200);
  });

  it('refuses a session that was tampered with, or answered for another challenge', async () => {
    const first = await passwordAuth(demo.managerA, DEMO_PASSWORD);
    const session = first.body.Session!;
    const tampered = `${session.slice(0, -2)}${session.endsWith('AA') ? 'BB' : 'AA'}`;
    const code = { SOFTWARE_TOKEN_MFA_CODE: totp(DEMO_TOTP_SECRET) };
    expect((await respond('SOFTWARE_TOKEN_MFA', demo.managerA, tampered, code)).body.__type).toBe(
      'NotAuthorizedException',
    );
    expect((await respond('MFA_SETUP', demo.managerA, session)).body.__type).toBe('NotAuthorizedException');
  });

  it('walks an invited manager through a new password and TOTP set-up; the API wants the enrolment confirmed', async () => {
    // Prepare
    const user = await newStoreUser('service_manager', 'Temp-Passw0rd!');

    // Act: first sign-in with the temporary password
    const first = await passwordAuth(user.username, 'Temp-Passw0rd!');
    expect(first.body.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const weak = await respond('NEW_PASSWORD_REQUIRED', user.username, first.body.Session!, {
      NEW_PASSWORD: 'short',
    });
    const setup = await respond('NEW_PASSWORD_REQUIRED', user.username, first.body.Session!, {
      NEW_PASSWORD: 'A-new-passw0rd!',
    });
    // A manager without an authenticator is made to set one up.
    expect(setup.body.ChallengeName).toBe('MFA_SETUP');
    const associated = await cognito('AssociateSoftwareToken', { Session: setup.body.Session });
    const secret = associated.body.SecretCode!;
    const mismatch = await cognito('VerifySoftwareToken', {
      Session: associated.body.Session,
      UserCode: wrongCode(secret),
    });
    const verified = await cognito('VerifySoftwareToken', {
      Session: associated.body.Session,
      UserCode: totp(secret),
    });
    const early = await respond('MFA_SETUP', user.username, associated.body.Session!);
    const done = await respond('MFA_SETUP', user.username, String(verified.body.Session));

    // Assess
    expect(weak.body.__type).toBe('InvalidPasswordException');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(mismatch.body.__type).toBe('EnableSoftwareTokenMFAException');
    expect(verified.body).toMatchObject({ Status: 'SUCCESS' });
    expect(early.body.__type).toBe('NotAuthorizedException');
    const token = done.body.AuthenticationResult!.AccessToken;
    // The API has not recorded the enrolment yet: only the session routes answer.
    const refused = await api(token, 'GET', `/v1/stores/${demo.storeA}`);
    expect(refused).toMatchObject({ status: 403, body: { code: 'MFA_ENROLMENT_REQUIRED' } });
    expect((await api(token, 'GET', '/v1/me')).body).toMatchObject({ mfaRequired: true, mfaEnrolled: false });
    expect(await api(token, 'POST', '/v1/session/mfa')).toMatchObject({
      status: 200,
      body: { mfaEnrolled: true },
    });
    expect((await api(token, 'GET', `/v1/stores/${demo.storeA}`)).status).toBe(200);
    // The old password is gone, and the next sign-in asks for the code.
    expect((await passwordAuth(user.username, 'Temp-Passw0rd!')).body.__type).toBe('NotAuthorizedException');
    expect((await passwordAuth(user.username, 'A-new-passw0rd!')).body.ChallengeName).toBe(
      'SOFTWARE_TOKEN_MFA',
    );
  });

  it('refreshes with the refresh token until it is revoked; revoking also ends its access tokens', async () => {
    // Prepare
    const signedIn = (await passwordAuth(demo.advisorA, DEMO_PASSWORD)).body.AuthenticationResult!;
    const refreshAuth = () =>
      cognito('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: LOCAL_WEB_CLIENT_ID,
        AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken! },
      });

    // Act
    const refreshed = await refreshAuth();
    const revoked = await cognito('RevokeToken', {
      Token: signedIn.RefreshToken,
      ClientId: LOCAL_WEB_CLIENT_ID,
    });
    const afterwards = await refreshAuth();
    const withRevokedAccess = await cognito('AssociateSoftwareToken', { AccessToken: signedIn.AccessToken });

    // Assess
    expect(refreshed.status).toBe(200);
    const access = refreshed.body.AuthenticationResult!;
    expect(access.RefreshToken).toBeUndefined();
    expect(decodeJwt(access.AccessToken).origin_jti).toBe(decodeJwt(signedIn.AccessToken).origin_jti);
    expect(revoked).toEqual({ status: 200, body: {} });
    expect(afterwards.body).toMatchObject({
      __type: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    expect(withRevokedAccess.body).toMatchObject({ __type: 'NotAuthorizedException' });
  });

  it('answers unknown operations and clients as Cognito does', async () => {
    expect((await cognito('AdminDeleteUser', {})).body.__type).toBe('UnknownOperationException');
    const otherClient = await cognito('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'no-such-client',
      AuthParameters: { USERNAME: demo.advisorA, PASSWORD: DEMO_PASSWORD },
    });
    expect(otherClient.body.__type).toBe('ResourceNotFoundException');
    expect((await cognito('InitiateAuth', { AuthFlow: 'CUSTOM_AUTH' })).body.__type).toBe(
      'InvalidParameterException',
    );
  });
});

describe('the dev identity provider made again, and its clock', () => {
  useStackEnv();
  const dynamo = new DynamoDBClient({});
  afterAll(() => dynamo.destroy());
  const keyDir = mkdtempSync(join(tmpdir(), 'dev-idp-'));
  let now = Date.now();
  const make = () =>
    createDevIdp({
      issuer: `${stack.url}/dev-idp`,
      directory: new DataAccess({ tableName: stack.tableName }).directory,
      dynamo,
      tableName: stack.tableName,
      password: DEMO_PASSWORD,
      defaultTotpSecret: DEMO_TOTP_SECRET,
      machineClients: [],
      keyDir,
      now: () => now,
    });

  it('keeps a challenge session valid across re-creation, and expires it after three minutes', async () => {
    // Prepare
    const before = await make();
    const first = await passwordAuth(demo.managerA, DEMO_PASSWORD, (i) => before.app.request('/', i));
    const again = await make();
    const sendAgain: Fetcher = (i) => again.app.request('/', i);

    // Act
    const inTime = await respond(
      'SOFTWARE_TOKEN_MFA',
      demo.managerA,
      first.body.Session!,
      {
        SOFTWARE_TOKEN_MFA_CODE: totp(DEMO_TOTP_SECRET, now),
      },
      sendAgain,
    );
    now += 4 * 60_000;
    const late = await respond(
      'SOFTWARE_TOKEN_MFA',
      demo.managerA,
      first.body.Session!,
      {
        SOFTWARE_TOKEN_MFA_CODE: totp(DEMO_TOTP_SECRET, now),
      },
      sendAgain,
    );

    // Assess
    expect(inTime.status).toBe(200);
    expect(late.body).toMatchObject({
      __type: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });
});

describe('the password grant for scripts', () => {
  const grant = (form: Record<string, string>) =>
    fetch(`${stack.url}/dev-idp/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', ...form }),
    });

  it('wants the TOTP code of a user who has one: no way round the second factor', async () => {
    const without = await grant({ username: demo.managerA, password: DEMO_PASSWORD });
    const wrong = await grant({
      username: demo.managerA,
      password: DEMO_PASSWORD,
      mfa_code: wrongCode(DEMO_TOTP_SECRET),
    });
    const right = await grant({
      username: demo.managerA,
      password: DEMO_PASSWORD,
      mfa_code: totp(DEMO_TOTP_SECRET),
    });
    expect([without.status, wrong.status, right.status]).toEqual([400, 400, 200]);
    expect(await without.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an invited user until they have chosen a password', async () => {
    const user = await newStoreUser('service_advisor', 'Temp-Passw0rd!');
    const res = await grant({ username: user.username, password: 'Temp-Passw0rd!' });
    expect(res.status).toBe(400);
  });
});

describe('MFA required for managers and HQ', () => {
  it('refuses a manager without an authenticator everything but the session routes', async () => {
    // Prepare: signs in by the password grant, which sets nothing up
    const user = await newStoreUser('workshop_manager');
    const res = await fetch(`${stack.url}/dev-idp/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: user.username, password: DEMO_PASSWORD }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;

    // Act
    const store = await api(token, 'GET', `/v1/stores/${demo.storeA}`);
    const customers = await api(token, 'GET', `/v1/stores/${demo.storeA}/customers?limit=1`);
    const me = await api(token, 'GET', '/v1/me');
    const confirm = await api(token, 'POST', '/v1/session/mfa');

    // Assess
    expect(store).toMatchObject({ status: 403, body: { code: 'MFA_ENROLMENT_REQUIRED' } });
    expect(customers).toMatchObject({ status: 403, body: { code: 'MFA_ENROLMENT_REQUIRED' } });
    expect(me).toMatchObject({ status: 200, body: { mfaRequired: true, mfaEnrolled: false } });
    // Nothing set up at the identity provider: nothing to confirm.
    expect(confirm).toMatchObject({ status: 409, body: { code: 'MFA_NOT_SET_UP' } });
  });

  it('lets roles that do not require MFA in without it', async () => {
    const me = await call(demo.advisorA, 'GET', '/v1/me');
    expect(me.body).toMatchObject({ mfaRequired: false });
    expect((await call(demo.advisorA, 'GET', `/v1/stores/${demo.storeA}`)).status).toBe(200);
  });
});
