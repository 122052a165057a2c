import { StaffMembers } from '@aftersales/data/staff';
import { COGNITO_CONTENT_TYPE, COGNITO_TARGET_PREFIX, StaffInput } from '@aftersales/domain';
import { LOCAL_WEB_CLIENT_ID } from '@aftersales/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn, stack } from '../support/api.ts';
import { appWithClock, freshStore, freshUser } from '../support/app.ts';
import { uniqueSuffix } from '../support/demo.ts';

/**
 * Staff administration (人员) through the API, against the local stack's development identity provider:
 * the manager invites, re-roles, disables and removes people, and their access follows within the
 * principal cache's 30 s (the app's clock is moved instead of waiting).
 */

const THIRTY_SECONDS = 30_000;

let api: ReturnType<typeof appWithClock>;
let storeId: string;
let managerId: string;
let managerToken: string;

const OWN_PASSWORD = 'My-own-passw0rd!';

/** One call of the development identity provider's Cognito API. */
async function cognito(operation: string, body: object) {
  const res = await fetch(`${stack.url}/dev-idp`, {
    method: 'POST',
    headers: {
      'content-type': COGNITO_CONTENT_TYPE,
      'x-amz-target': `${COGNITO_TARGET_PREFIX}${operation}`,
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as {
    ChallengeName?: string;
    Session?: string;
    AuthenticationResult?: { AccessToken: string };
  };
}

/** A later sign-in with the password they chose: their token, or undefined when refused. */
async function signInAgain(username: string): Promise<string | undefined> {
  const out = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: LOCAL_WEB_CLIENT_ID,
    AuthParameters: { USERNAME: username, PASSWORD: OWN_PASSWORD },
  });
  return out.AuthenticationResult?.AccessToken;
}

/** First sign-in of an invited user: the temporary password, then a password of their own. */
async function firstSignIn(username: string, temporaryPassword: string): Promise<string> {
  const first = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: LOCAL_WEB_CLIENT_ID,
    AuthParameters: { USERNAME: username, PASSWORD: temporaryPassword },
  });
  expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  const done = await cognito('RespondToAuthChallenge', {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ClientId: LOCAL_WEB_CLIENT_ID,
    Session: first.Session,
    ChallengeResponses: { USERNAME: username, NEW_PASSWORD: OWN_PASSWORD },
  });
  return done.AuthenticationResult!.AccessToken;
}

const newPerson = (roles: string[] = ['technician']) => {
  const s = uniqueSuffix().toLowerCase();
  return {
    username: `tech.${s}`,
    displayName: `技师 ${s}`,
    email: `tech.${s}@example.com`,
    phone: '13912345678',
    roles,
    level: 'mid',
    skills: ['engine', 'electrical'],
    shifts: { mon: { start: '08:30', end: '17:30' }, tue: { start: '08:30', end: '17:30' } },
  };
};

beforeAll(async () => {
  api = appWithClock();
  // A store of its own with one manager (MFA-enrolled, so the demo TOTP signs them in) and their record
  storeId = await freshStore(api.data, 'Staff');
  const manager = await freshUser(api.data, storeId, ['service_manager']);
  await api.data.directory.setMfaEnrolled(manager.id, true);
  managerId = manager.id;
  await api.data
    .forTenant({ tenantId: storeId, actor: { userId: 'test', name: 'test', roles: [] } })
    .repo(StaffMembers)
    .create(
      manager.id,
      StaffInput.parse({
        username: manager.username,
        displayName: `Manager ${manager.username}`,
        email: 'manager@example.com',
        roles: ['service_manager'],
      }),
    );
  managerToken = await signIn(manager.username);
});

const base = () => `/v1/stores/${storeId}/staff`;

/** A person the manager invited, signed in for the first time. */
async function invitedAndSignedIn(roles: string[]) {
  const invited = await api.call(managerToken, 'POST', base(), { body: newPerson(roles) });
  const { id, username, temporaryPassword } = invited.body as {
    id: string;
    username: string;
    temporaryPassword: string;
  };
  return { invited, id, username, token: await firstSignIn(username, temporaryPassword) };
}

describe('the manager adds a person', () => {
  it('creates their account with an invitation: they sign in with the temporary password and choose their own', async () => {
    // Act
    const invited = await api.call(managerToken, 'POST', base(), { body: newPerson() });
    // Assess
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({
      status: 'active',
      roles: ['technician'],
      level: 'mid',
      phoneMasked: false,
    });
    const { id, username, temporaryPassword } = invited.body as {
      id: string;
      username: string;
      temporaryPassword: string;
    };
    expect(temporaryPassword).toMatch(/^.{12,}$/);
    expect((await api.data.directory.getPrincipal(id))?.memberships).toEqual([
      expect.objectContaining({ tenantId: storeId, roles: ['technician'] }),
    ]);
    const token = await firstSignIn(username, temporaryPassword);
    expect((await api.call(token, 'GET', `/v1/stores/${storeId}`)).status).toBe(200);
    // …and shows in the list, with the whole phone for the manager
    const list = await api.call(managerToken, 'GET', base());
    const items = (list.body?.items ?? []) as { id: string; phone: string }[];
    expect(items.find((s) => s.id === id)?.phone).toBe('13912345678');
  });

  it('refuses a username already taken (409 USERNAME_TAKEN) and a role outside the store’s (400)', async () => {
    const person = newPerson();
    expect((await api.call(managerToken, 'POST', base(), { body: person })).status).toBe(201);
    expect(
      await api.call(managerToken, 'POST', base(), { body: { ...person, email: 'x@example.com' } }),
    ).toMatchObject({
      status: 409,
      code: 'USERNAME_TAKEN',
    });
    expect(
      await api.call(managerToken, 'POST', base(), { body: { ...newPerson(), roles: ['hq_executive'] } }),
    ).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});

describe('access follows the staff record', () => {
  it('a disabled technician is refused within 30 s, and can no longer sign in', async () => {
    // Prepare: the technician signed in and seen by the API
    const { invited, id, username, token } = await invitedAndSignedIn(['technician']);
    const elsewhere = appWithClock();
    expect((await elsewhere.call(token, 'GET', `/v1/stores/${storeId}`)).status).toBe(200);
    // Act
    const disabled = await api.call(managerToken, 'POST', `${base()}/${id}/disable`, {
      headers: { 'if-match': String(invited.headers.get('etag')) },
    });
    elsewhere.advance(THIRTY_SECONDS + 1);
    // Assess
    expect(disabled.body).toMatchObject({ status: 'disabled' });
    expect(await elsewhere.call(token, 'GET', `/v1/stores/${storeId}`)).toMatchObject({
      status: 403,
      code: 'ACCOUNT_DISABLED',
    });
    expect(await signInAgain(username)).toBeUndefined();
  });

  it('a person with roles in two stores, disabled in one, is refused there and still works in the other; their last store disables the account, and enabling reverses it', async () => {
    // Prepare: a technician invited here, who also works in a second store (membership and record)
    const { invited, id, username, token } = await invitedAndSignedIn(['technician']);
    const other = await freshStore(api.data, 'Staff2');
    await api.data.directory.putMembership(id, {
      tenantId: other,
      tenantKind: 'store',
      tenantName: other,
      roles: ['technician'],
    });
    const otherRecord = await api.data
      .forTenant({ tenantId: other, actor: { userId: 'test', name: 'test', roles: [] } })
      .repo(StaffMembers)
      .create(id, StaffInput.parse({ ...newPerson(), username, roles: ['technician'] }));
    const otherManager = await freshUser(api.data, other, ['service_manager']);
    await api.data.directory.setMfaEnrolled(otherManager.id, true);
    const otherManagerToken = await signIn(otherManager.username);
    const elsewhere = appWithClock();
    const store = (s: string) => elsewhere.call(token, 'GET', `/v1/stores/${s}`);
    expect([(await store(storeId)).status, (await store(other)).status]).toEqual([200, 200]);

    // Act: disabled here
    const disabled = await api.call(managerToken, 'POST', `${base()}/${id}/disable`, {
      headers: { 'if-match': String(invited.headers.get('etag')) },
    });
    elsewhere.advance(THIRTY_SECONDS + 1);
    const here = await store(storeId);
    const there = await store(other);
    const signsIn = await signInAgain(username);
    // …then in the other store too: their last one
    const lastDisabled = await api.call(
      otherManagerToken,
      'POST',
      `/v1/stores/${other}/staff/${id}/disable`,
      {
        headers: { 'if-match': `"${otherRecord.version}"` },
      },
    );
    elsewhere.advance(THIRTY_SECONDS + 1);
    const afterLast = await store(other);
    const signsInAfterLast = await signInAgain(username);
    // …and enabled here again
    const enabled = await api.call(managerToken, 'POST', `${base()}/${id}/enable`, {
      headers: { 'if-match': String(disabled.headers.get('etag')) },
    });
    const again = appWithClock();
    // Tokens carry whole seconds: one from the second of the revocation is refused by design, so the
    // person signs in again once that second has passed (as anyone re-enabled does, later).
    await new Promise((r) => setTimeout(r, 1_050 - (Date.now() % 1_000)));
    const freshToken = String(await signInAgain(username));

    // Assess: refused here only; the account ends with the last store and comes back with one
    expect(disabled.body).toMatchObject({ status: 'disabled' });
    // A store they may not access is one they cannot see (as for any non-member)
    expect(here).toMatchObject({ status: 404, code: 'STORE_NOT_FOUND' });
    expect(there.status).toBe(200);
    expect(signsIn).toBeDefined();
    expect(lastDisabled.body).toMatchObject({ status: 'disabled' });
    expect(afterLast).toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });
    expect(signsInAfterLast).toBeUndefined();
    expect(enabled.body).toMatchObject({ status: 'active' });
    expect((await again.call(freshToken, 'GET', `/v1/stores/${storeId}`)).status).toBe(200);
    expect((await again.call(freshToken, 'GET', `/v1/stores/${other}`)).status).toBe(404);
  });

  it('a role change reaches their access within 30 s', async () => {
    // Prepare: an advisor, who may read the registry's contacts
    const { invited, id, token } = await invitedAndSignedIn(['service_advisor']);
    const elsewhere = appWithClock();
    expect((await elsewhere.call(token, 'GET', `${base()}`)).status).toBe(200);
    // Act: made a technician
    const edited = await api.call(managerToken, 'PATCH', `${base()}/${id}`, {
      body: { roles: ['technician'] },
      headers: { 'if-match': String(invited.headers.get('etag')) },
    });
    elsewhere.advance(THIRTY_SECONDS + 1);
    // Assess: technicians do not read the staff list
    expect(edited.status).toBe(200);
    expect(await elsewhere.call(token, 'GET', `${base()}`)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('a removed person loses the store', async () => {
    const { invited, id, token } = await invitedAndSignedIn(['technician']);
    const removed = await api.call(managerToken, 'POST', `${base()}/${id}/remove`, {
      headers: { 'if-match': String(invited.headers.get('etag')) },
    });
    const elsewhere = appWithClock();
    expect(removed.body).toMatchObject({ status: 'removed' });
    expect((await elsewhere.call(token, 'GET', `/v1/stores/${storeId}`)).status).toBeGreaterThanOrEqual(401);
  });
});

describe('the last manager', () => {
  it('cannot disable, remove or demote themselves (409 LAST_MANAGER)', async () => {
    const me = await api.call(managerToken, 'GET', `${base()}/${managerId}`);
    for (const action of ['disable', 'remove'])
      expect(
        await api.call(managerToken, 'POST', `${base()}/${managerId}/${action}`, {
          headers: { 'if-match': String(me.headers.get('etag')) },
        }),
      ).toMatchObject({
        status: 409,
        code: 'LAST_MANAGER',
      });
    expect(
      await api.call(managerToken, 'PATCH', `${base()}/${managerId}`, {
        body: { roles: ['service_advisor'] },
        headers: { 'if-match': String(me.headers.get('etag')) },
      }),
    ).toMatchObject({ status: 409, code: 'LAST_MANAGER' });
  });
});
