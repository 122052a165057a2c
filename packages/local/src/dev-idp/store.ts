import { createHash, randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { toAttributes } from '@aftersales/data';
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';

/**
 * What the development identity provider remembers, kept in the local table as items only it reads
 * (`DEVIDP#…`), so it survives the provider being made again and a restart with `.data/`: passwords set
 * by users, invited users' temporary passwords, TOTP secrets and refresh tokens. Never part of a
 * deployment: in AWS, Cognito keeps all of this.
 *
 * - credentials    pk `DEVIDP#USER#<username>`     sk `#CREDENTIALS`
 * - refresh token  pk `DEVIDP#REFRESH#<origin jti>` sk `#TOKEN` (the token's secret half only hashed)
 *
 * A directory user without credentials here is a demo user: the provider's default password, and the
 * demo TOTP secret when the directory marks them MFA-enrolled (provider.ts).
 */
export const DevIdpCredentials = z.object({
  userId: z.string(),
  username: z.string(),
  /** scrypt `salt:hash` (hex); absent: the provider's default (demo) password. */
  passwordHash: z.string().optional(),
  /** Invited users: the password is temporary, and the first sign-in answers NEW_PASSWORD_REQUIRED. */
  mustChangePassword: z.boolean(),
  /** The verified TOTP secret (base32), and whether sign-in asks for it (SetUserMFAPreference). */
  totpSecret: z.string().optional(),
  totpEnabled: z.boolean().optional(),
  /** From AssociateSoftwareToken, until VerifySoftwareToken proves the user's app has it. */
  pendingTotpSecret: z.string().optional(),
});
export type DevIdpCredentials = z.infer<typeof DevIdpCredentials>;

const RefreshRecord = z.object({
  originJti: z.string(),
  userId: z.string(),
  username: z.string(),
  clientId: z.string(),
  secretHash: z.string(),
  expiresAt: z.number(),
  revoked: z.boolean(),
});
export type RefreshRecord = z.infer<typeof RefreshRecord>;

const credentialsKey = (username: string) => ({
  pk: `DEVIDP#USER#${username.toLowerCase()}`,
  sk: '#CREDENTIALS',
});
const refreshKey = (originJti: string) => ({ pk: `DEVIDP#REFRESH#${originJti}`, sk: '#TOKEN' });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
}

export function passwordMatches(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const given = scryptSync(password, Buffer.from(salt, 'hex'), 32);
  return timingSafeEqual(given, Buffer.from(hash, 'hex'));
}

export class DevIdpStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async credentials(username: string): Promise<DevIdpCredentials | undefined> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toAttributes(credentialsKey(username)),
        ConsistentRead: true,
      }),
    );
    return out.Item ? DevIdpCredentials.parse(unmarshall(out.Item)) : undefined;
  }

  async putCredentials(c: DevIdpCredentials): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toAttributes({
          ...credentialsKey(c.username),
          type: 'DevIdpCredentials',
          ...DevIdpCredentials.parse(c),
        }),
      }),
    );
  }

  /** An invited user (as Cognito's AdminCreateUser): a temporary password to replace at first sign-in. */
  async invite(user: { userId: string; username: string; temporaryPassword: string }): Promise<void> {
    await this.putCredentials({
      userId: user.userId,
      username: user.username,
      passwordHash: hashPassword(user.temporaryPassword),
      mustChangePassword: true,
    });
  }

  /** A new refresh token: `<origin jti>.<secret>`, opaque to clients; only the secret's hash is kept. */
  async issueRefreshToken(
    who: { userId: string; username: string; clientId: string },
    ttlSeconds: number,
    nowMs: number,
  ): Promise<{ token: string; originJti: string }> {
    const originJti = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
    const record: RefreshRecord = {
      originJti,
      ...who,
      secretHash: sha256(secret),
      expiresAt,
      revoked: false,
    };
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        // `ttl`: DynamoDB removes it some time after it expires (reads check `expiresAt` themselves).
        Item: toAttributes({
          ...refreshKey(originJti),
          type: 'DevIdpRefreshToken',
          ...record,
          ttl: expiresAt,
        }),
      }),
    );
    return { token: `${originJti}.${secret}`, originJti };
  }

  /** The refresh token's record, if the token is one this provider issued (revoked or not). */
  async refreshToken(token: string): Promise<RefreshRecord | undefined> {
    const [originJti, secret] = token.split('.');
    if (!originJti || !secret || !/^[0-9a-f-]{36}$/.test(originJti)) return undefined;
    const record = await this.refreshRecord(originJti);
    if (!record) return undefined;
    const matches = timingSafeEqual(Buffer.from(record.secretHash), Buffer.from(sha256(secret)));
    return matches ? record : undefined;
  }

  async refreshRecord(originJti: string): Promise<RefreshRecord | undefined> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toAttributes(refreshKey(originJti)),
        ConsistentRead: true,
      }),
    );
    return out.Item ? RefreshRecord.parse(unmarshall(out.Item)) : undefined;
  }

  async revoke(originJti: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toAttributes(refreshKey(originJti)),
        UpdateExpression: 'SET revoked = :t',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: toAttributes({ ':t': true }),
      }),
    );
  }
}
