import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/api.ts';
import { appWithClock, freshUser } from '../support/app.ts';
import { demo } from '../support/demo.ts';

/**
 * Access ends when it should: a disabled account and a revoked session are refused on every request
 * within the principal cache's 30 s (at once on the instance that signed the user out), whatever the
 * token cache remembers. The apps here verify the development identity provider's real tokens; their
 * clocks are moved instead of waiting.
 */

const THIRTY_SECONDS = 30_000;

/** Routes outside a store, in a store and deeper in it: the check is on the principal, before any. */
const ROUTES = ['/v1/me', `/v1/stores/${demo.storeA}`, `/v1/stores/${demo.storeA}/customers`];

/** Waits for the next whole second: a token's `iat` has seconds, a revocation refuses its own second. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));

let setup: ReturnType<typeof appWithClock>;
beforeAll(() => {
  setup = appWithClock();
});

describe('a disabled account', () => {
  it('is refused on every route within 30 s, though its token was verified and remembered', async () => {
    // Prepare: the user's token verified and their principal cached
    const user = await freshUser(setup.data, demo.storeA);
    const token = await signIn(user.username);
    const api = appWithClock();
    for (const path of ROUTES) expect((await api.call(token, 'GET', path)).status).toBe(200);
    // Act
    await setup.data.directory.setUserDisabled(user.id, true, new Date());
    api.advance(THIRTY_SECONDS + 1);
    // Assess
    for (const path of ROUTES)
      expect(await api.call(token, 'GET', path)).toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });
  });

  it('enabled again, signs in anew: the tokens from before it was disabled stay refused', async () => {
    // Prepare
    const user = await freshUser(setup.data, demo.storeA);
    const before = await signIn(user.username);
    await nextSecond();
    await setup.data.directory.setUserDisabled(user.id, true, new Date());
    // Act
    await setup.data.directory.setUserDisabled(user.id, false, new Date());
    await nextSecond();
    const after = await signIn(user.username);
    const api = appWithClock();
    // Assess
    expect(await api.call(before, 'GET', '/v1/me')).toMatchObject({ status: 401, code: 'SESSION_REVOKED' });
    expect((await api.call(after, 'GET', '/v1/me')).status).toBe(200);
  });
});

describe('signing out', () => {
  it('ends the token at once on this instance and within 30 s on another', async () => {
    // Prepare: two API instances that both know the user's token
    const user = await freshUser(setup.data, demo.storeA);
    const token = await signIn(user.username);
    const here = appWithClock();
    const elsewhere = appWithClock();
    expect((await here.call(token, 'GET', '/v1/me')).status).toBe(200);
    expect((await elsewhere.call(token, 'GET', '/v1/me')).status).toBe(200);
    // Act
    const signOut = await here.call(token, 'POST', '/v1/session/sign-out');
    // Assess
    expect(signOut.status).toBe(204);
    for (const path of ROUTES)
      expect(await here.call(token, 'GET', path)).toMatchObject({ status: 401, code: 'SESSION_REVOKED' });
    elsewhere.advance(THIRTY_SECONDS + 1);
    expect(await elsewhere.call(token, 'GET', '/v1/me')).toMatchObject({
      status: 401,
      code: 'SESSION_REVOKED',
    });
  });

  it('ends only this sign-in: a new one in the same second, and the user’s other sign-ins, go on', async () => {
    // Prepare: two sign-ins of one user (two devices)
    const user = await freshUser(setup.data, demo.storeA);
    const phone = await signIn(user.username);
    const desk = await signIn(user.username);
    const api = appWithClock();
    // Act: the desk signs out and at once signs in again (no wait for the next second)
    expect((await api.call(desk, 'POST', '/v1/session/sign-out')).status).toBe(204);
    const again = await signIn(user.username);
    // Assess
    expect(await api.call(desk, 'GET', '/v1/me')).toMatchObject({ status: 401, code: 'SESSION_REVOKED' });
    expect((await api.call(again, 'GET', '/v1/me')).status).toBe(200);
    expect((await api.call(phone, 'GET', '/v1/me')).status).toBe(200);
  });

  it('needs a signed-in caller', async () => {
    const res = await setup.app.request('/v1/session/sign-out', { method: 'POST' });
    expect(res.status).toBe(401);
  });
});

describe('a revocation', () => {
  it('refuses a token issued before it; one issued after it works', async () => {
    // Prepare
    const user = await freshUser(setup.data, demo.storeA);
    const old = await signIn(user.username);
    const api = appWithClock();
    expect((await api.call(old, 'GET', '/v1/me')).status).toBe(200);
    // Act: revoked from elsewhere (an administrator), seen here once the principal cache turns over
    await nextSecond();
    await setup.data.directory.revokeSessions(user.id, new Date());
    api.advance(THIRTY_SECONDS + 1);
    await nextSecond();
    const fresh = await signIn(user.username);
    // Assess
    expect(await api.call(old, 'GET', '/v1/me')).toMatchObject({ status: 401, code: 'SESSION_REVOKED' });
    expect((await api.call(fresh, 'GET', '/v1/me')).status).toBe(200);
  });

  it('never moves back: an older revocation arriving late leaves the newer one in force', async () => {
    // Prepare
    const user = await freshUser(setup.data, demo.storeA);
    await nextSecond();
    const token = await signIn(user.username);
    await setup.data.directory.revokeSessions(user.id, new Date(Date.now() + 1000));
    // Act
    await setup.data.directory.revokeSessions(user.id, new Date(Date.now() - 60_000));
    // Assess
    expect(await appWithClock().call(token, 'GET', '/v1/me')).toMatchObject({
      status: 401,
      code: 'SESSION_REVOKED',
    });
  });
});
