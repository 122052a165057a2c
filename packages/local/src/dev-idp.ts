import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Directory } from '@aftersales/data';
import { Hono } from 'hono';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

/**
 * The development identity provider: it signs Cognito-shaped access tokens with a local RSA key and
 * serves the public key as a JWKS, so the API verifies local tokens exactly as it verifies Cognito's.
 * Development only: every demo user's password is the one the seed prints.
 */
export const LOCAL_WEB_CLIENT_ID = 'local-web';
const TOKEN_TTL_SECONDS = 8 * 60 * 60;

export interface DevIdpOptions {
  issuer: string;
  directory: Directory;
  password: string;
  /** Machine clients (OEMs) allowed the client-credentials grant. */
  machineClients: readonly { clientId: string; clientSecret: string }[];
  /** Where to keep the signing key, so tokens survive a restart; in memory when absent. */
  keyDir?: string | undefined;
}

export interface DevIdp {
  app: Hono;
  clientIds: string[];
  /** Signs a token for a user directly (tests, CLI). */
  tokenFor: (sub: string, clientId?: string) => Promise<string>;
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

export async function createDevIdp(opts: DevIdpOptions): Promise<DevIdp> {
  const { privateJwk, publicJwk } = await signingKey(opts.keyDir);
  const key = await importJWK(privateJwk, 'RS256');
  const clientIds = [LOCAL_WEB_CLIENT_ID, ...opts.machineClients.map((c) => c.clientId)];

  const tokenFor = (sub: string, clientId = LOCAL_WEB_CLIENT_ID, extra: Record<string, unknown> = {}) =>
    // Cognito's scopes: a user's token carries its own-profile scope, a machine client's the OEM scope.
    new SignJWT({
      client_id: clientId,
      token_use: 'access',
      scope: sub === clientId ? 'aftersales/claims' : 'aws.cognito.signin.user.admin',
      ...extra,
    })
      .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid ?? 'local' })
      .setIssuer(opts.issuer)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
      .setJti(crypto.randomUUID())
      .sign(key);

  const app = new Hono();
  app.get('/.well-known/jwks.json', (c) => c.json({ keys: [publicJwk] }));
  app.post('/token', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const form: Record<string, string> = type.includes('application/json')
      ? await c.req.json<Record<string, string>>().catch(() => ({}))
      : Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)]));
    const fail = (error: string, description: string) =>
      c.json({ error, error_description: description }, 400);
    if (form.grant_type === 'password') {
      const user = form.username ? await opts.directory.findUserByUsername(form.username) : undefined;
      if (!user || form.password !== opts.password)
        return fail('invalid_grant', 'Unknown user or wrong password.');
      const token = await tokenFor(user.id, LOCAL_WEB_CLIENT_ID, { username: user.username });
      return c.json({ access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS });
    }
    if (form.grant_type === 'client_credentials') {
      const client = opts.machineClients.find(
        (m) => m.clientId === form.client_id && m.clientSecret === form.client_secret,
      );
      if (!client) return fail('invalid_client', 'Unknown client or wrong secret.');
      const token = await tokenFor(client.clientId, client.clientId);
      return c.json({ access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS });
    }
    return fail('unsupported_grant_type', 'Use grant_type=password or client_credentials.');
  });
  return { app, clientIds, tokenFor: (sub, clientId) => tokenFor(sub, clientId) };
}
