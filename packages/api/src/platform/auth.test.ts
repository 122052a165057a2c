import { UnauthorizedError } from '@aftersales/domain';
import { generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tokenVerifier } from './auth.ts';

const cfg = { issuer: 'https://idp.test', jwksUrl: 'https://idp.test/jwks', clientIds: ['web'] };

/** A key set that counts how often a signature had to be checked. */
async function keys() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const lookups = { count: 0 };
  const getKey: JWTVerifyGetKey = async () => {
    lookups.count++;
    return publicKey;
  };
  const sign = (claims: Record<string, unknown>, expiresInSeconds: number) =>
    new SignJWT({ token_use: 'access', client_id: 'web', ...claims })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(cfg.issuer)
      .setSubject(typeof claims.sub === 'string' ? claims.sub : 'usr_1')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(privateKey);
  return { getKey, lookups, sign };
}

afterEach(() => vi.useRealTimers());

describe('tokenVerifier', () => {
  it('checks a token’s signature once, then trusts it until it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { getKey, lookups, sign } = await keys();
    const verify = tokenVerifier(cfg, getKey);
    const token = await sign({}, 120);

    const issuedAt = Math.floor(Date.now() / 1000) * 1000;
    expect(await verify(token)).toMatchObject({ sub: 'usr_1', clientId: 'web', issuedAt });
    expect(await verify(token)).toMatchObject({ sub: 'usr_1', clientId: 'web', issuedAt });
    expect(lookups.count).toBe(1);

    // Past `exp` the remembered answer no longer counts: the token is checked again and refused.
    vi.setSystemTime(Date.now() + 121_000);
    await expect(verify(token)).rejects.toThrow(UnauthorizedError);
    expect(lookups.count).toBe(2);
  });

  it('checks a long-lived token again after five minutes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { getKey, lookups, sign } = await keys();
    const verify = tokenVerifier(cfg, getKey);
    const token = await sign({}, 3600);
    await verify(token);
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1);
    await verify(token);
    expect(lookups.count).toBe(2);
  });

  it('never remembers a refused token', async () => {
    const { getKey, lookups, sign } = await keys();
    const verify = tokenVerifier(cfg, getKey);
    const token = await sign({ client_id: 'someone-else' }, 120);
    await expect(verify(token)).rejects.toThrow('not an access token');
    await expect(verify(token)).rejects.toThrow('not an access token');
    expect(lookups.count).toBe(2);
  });

  it('refuses a token whose signature was changed, even after the genuine one was accepted', async () => {
    const { getKey, sign } = await keys();
    const verify = tokenVerifier(cfg, getKey);
    const token = await sign({}, 120);
    await verify(token);
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;
    await expect(verify(tampered)).rejects.toThrow('not valid');
  });

  it('refuses a token without an expiry or an issue time', async () => {
    // Prepare: tokens signed with the right key, one lacking `exp`, one lacking `iat`.
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const verify = tokenVerifier(cfg, async () => publicKey);
    const base = () =>
      new SignJWT({ token_use: 'access', client_id: 'web' })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(cfg.issuer)
        .setSubject('usr_1');
    const noExp = await base().setIssuedAt().sign(privateKey);
    const noIat = await base()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 60)
      .sign(privateKey);

    // Act + Assess
    await expect(verify(noExp)).rejects.toThrow(UnauthorizedError);
    await expect(verify(noIat)).rejects.toThrow(UnauthorizedError);
  });

  describe('scopes', () => {
    const machineCfg = { ...cfg, clientIds: ['web', 'oem-client'] };
    const machine = { sub: 'oem-client', client_id: 'oem-client' };

    it('accepts a machine client’s token with the claims scope', async () => {
      const { getKey, sign } = await keys();
      const verify = tokenVerifier(machineCfg, getKey);
      const token = await sign({ ...machine, scope: 'aftersales/claims' }, 120);
      expect(await verify(token)).toMatchObject({ sub: 'oem-client', clientId: 'oem-client' });
    });

    it('refuses a machine client’s token without the claims scope', async () => {
      const { getKey, sign } = await keys();
      const verify = tokenVerifier(machineCfg, getKey);
      await expect(verify(await sign(machine, 120))).rejects.toThrow('lacks the aftersales/claims scope');
      await expect(verify(await sign({ ...machine, scope: 'aftersales/other' }, 120))).rejects.toThrow(
        UnauthorizedError,
      );
    });

    it('refuses a user’s token that carries the machine scope', async () => {
      const { getKey, sign } = await keys();
      const verify = tokenVerifier(machineCfg, getKey);
      const token = await sign({ scope: 'aws.cognito.signin.user.admin aftersales/claims' }, 120);
      await expect(verify(token)).rejects.toThrow('may not carry the machine scope');
      const plain = await sign({ scope: 'aws.cognito.signin.user.admin' }, 120);
      expect(await verify(plain)).toMatchObject({ sub: 'usr_1', clientId: 'web' });
    });
  });

  it('fails at once, not on every request, when the key set URL is malformed', () => {
    expect(() => tokenVerifier({ ...cfg, jwksUrl: 'not a url' })).toThrow(TypeError);
  });
});
