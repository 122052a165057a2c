import {
  AppError,
  type Membership,
  Organisation,
  type Store,
  UserAccess,
  type UserProfile,
} from '@aftersales/domain';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Item, stripKeys, toAttributes, updateExpression } from './tenant-table.ts';

/** gsi1 of organisation profiles: every organisation of a kind (a directory prefix, `PLATFORM_KEY_PREFIXES`). */
const ORG_KIND_PREFIX = 'ORGKIND#';

/**
 * The platform directory: organisations (tenants) and users with their memberships. These items are
 * not tenant data: their keys begin with `ORG#`, `USER#` and `USERNAME#`, and the function roles may
 * read only those prefixes with their own credentials.
 *
 * - organisation  pk `ORG#<id>`  sk `#PROFILE`
 * - group member  pk `ORG#<groupId>` sk `STORE#<storeId>` (a group's stores)
 * - user          pk `USER#<id>` sk `#USER`; gsi1 `USERNAME#<username>`; the profile and its
 *                 `UserAccess` (`disabled`, `sessionsRevokedAt`)
 * - organisation  gsi1 `ORGKIND#<kind>` / `<id>` (every store, every group, …)
 * - membership    pk `USER#<id>` sk `MEMBER#<tenantId>`
 */
export interface Principal {
  user: UserProfile;
  /** Checked on every request (auth.ts): a disabled user or a revoked token gets no further. */
  access: UserAccess;
  memberships: Membership[];
  /** Sign-in sessions the user signed out of (`endSession`), until their tokens would have expired. */
  endedSessions: string[];
}

/** Sort-key prefix of an ended sign-in session in a user's partition. */
const ENDED_SESSION = 'ENDED#';

export class Directory {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The user and all memberships: one Query. */
  async getPrincipal(userId: string): Promise<Principal | undefined> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: toAttributes({ ':pk': `USER#${userId}` }),
    });
    const user = items.find((i) => i.sk === '#USER');
    if (!user) return undefined;
    // The access attributes are not part of the profile (`/v1/me` shows the profile as it is).
    const { disabled, sessionsRevokedAt, ...profile } = user;
    return {
      user: stripKeys<UserProfile>(profile),
      access: UserAccess.parse({ disabled, sessionsRevokedAt }),
      memberships: items
        .filter((i) => String(i.sk).startsWith('MEMBER#'))
        .map((i) => stripKeys<Membership>(i, ['tenantId'])),
      endedSessions: items
        .filter((i) => String(i.sk).startsWith(ENDED_SESSION))
        .map((i) => String(i.sk).slice(ENDED_SESSION.length)),
    };
  }

  async findUserByUsername(username: string): Promise<UserProfile | undefined> {
    const [item] = await this.query({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: toAttributes({ ':pk': `USERNAME#${username.toLowerCase()}` }),
      Limit: 1,
    });
    return item ? stripKeys<UserProfile>(item) : undefined;
  }

  async getOrganisation(id: string): Promise<Organisation | undefined> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toAttributes({ pk: `ORG#${id}`, sk: '#PROFILE' }),
      }),
    );
    return out.Item ? stripKeys<Organisation>(unmarshall(out.Item)) : undefined;
  }

  /** A group's stores, for HQ users' store switcher and HQ access checks. */
  async groupStores(groupId: string): Promise<Pick<Store, 'id' | 'name'>[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: toAttributes({ ':pk': `ORG#${groupId}`, ':sk': 'STORE#' }),
    });
    return items.map((i) => ({ id: String(i.storeId), name: String(i.name) }));
  }

  /**
   * The ids of every organisation of a kind, a page at a time (gsi1 `ORGKIND#<kind>`): how platform jobs
   * such as the due-work sweeper visit each tenant without a Scan.
   */
  async *organisationIds(kind: Organisation['kind']): AsyncGenerator<string> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: toAttributes({ ':pk': `${ORG_KIND_PREFIX}${kind}` }),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) yield String(unmarshall(item).id);
      start = out.LastEvaluatedKey;
    } while (start);
  }

  /** Provisioning (seed, admin tooling): an organisation and, for a group's store, its group link. */
  async putOrganisation(org: Organisation): Promise<void> {
    // The directory is read without a parse on every request: what it holds is checked here, once.
    Organisation.parse(org);
    // A store that leaves its group leaves the group's list of stores too (its HQ's access ends with it).
    const before = org.kind === 'store' ? await this.getOrganisation(org.id) : undefined;
    if (
      before?.kind === 'store' &&
      before.groupId &&
      before.groupId !== (org.kind === 'store' ? org.groupId : undefined)
    )
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: toAttributes({ pk: `ORG#${before.groupId}`, sk: `STORE#${org.id}` }),
        }),
      );
    await this.put({
      pk: `ORG#${org.id}`,
      sk: '#PROFILE',
      type: 'Organisation',
      gsi1pk: `${ORG_KIND_PREFIX}${org.kind}`,
      gsi1sk: org.id,
      ...org,
    });
    if (org.kind === 'store' && org.groupId) {
      await this.put({
        pk: `ORG#${org.groupId}`,
        sk: `STORE#${org.id}`,
        type: 'GroupStore',
        storeId: org.id,
        name: org.name,
      });
    }
  }

  /** Creates or changes a user's profile; their `UserAccess` (disabled, revoked sessions) stays as it was. */
  async putUser(user: UserProfile): Promise<void> {
    await this.updateUser(user.id, {
      type: 'User',
      gsi1pk: `USERNAME#${user.username.toLowerCase()}`,
      gsi1sk: '#USER',
      ...user,
    });
  }

  /**
   * Disables a user (every request refused within the principal cache's 30 s, and every token they
   * hold with it), or enables them again: disabling revokes their sessions too, so enabling does not
   * bring back a token issued before.
   */
  async setUserDisabled(userId: string, disabled: boolean, at: Date): Promise<void> {
    if (disabled) await this.revokeSessions(userId, at);
    await this.updateUser(userId, UserAccess.pick({ disabled: true }).parse({ disabled }), true);
  }

  /**
   * Refuses every token of the user issued at or before `at` (sign-out everywhere). Never moves the
   * mark back: a late, older revocation does not revive tokens a newer one ended.
   */
  async revokeSessions(userId: string, at: Date): Promise<void> {
    const { sessionsRevokedAt } = UserAccess.required().parse({
      disabled: false,
      sessionsRevokedAt: at.toISOString(),
    });
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes({ pk: `USER#${userId}`, sk: '#USER' }),
          UpdateExpression: 'SET sessionsRevokedAt = :at',
          // ISO instants of one format order as text.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(sessionsRevokedAt) OR sessionsRevokedAt < :at)',
          ExpressionAttributeValues: toAttributes({ ':at': sessionsRevokedAt }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      if (!e.Item) throw userNotFound(userId);
      // A revocation at or after `at` is already there: nothing to do.
    }
  }

  /**
   * Ends one sign-in session (sign-out): its tokens are refused from the next principal read. The mark
   * sits in the user's partition, so the principal's one Query brings it, and expires with the tokens
   * (`expiresAt`, the table's TTL). Per session, not by time: a new sign-in in the same second works.
   */
  async endSession(userId: string, sessionId: string, tokensExpireAt: Date): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toAttributes({ pk: `USER#${userId}`, sk: `${ENDED_SESSION}${sessionId}` }),
        UpdateExpression: 'SET expiresAt = :ttl',
        ExpressionAttributeValues: toAttributes({ ':ttl': Math.ceil(tokensExpireAt.getTime() / 1000) }),
      }),
    );
  }

  /** Sets attributes of a user item (`existing`: only of a user that exists). */
  private async updateUser(userId: string, set: Item, existing = false): Promise<void> {
    const names: Record<string, string> = {};
    const values: Item = {};
    const UpdateExpression = updateExpression({ set }, names, values);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toAttributes({ pk: `USER#${userId}`, sk: '#USER' }),
          UpdateExpression,
          ConditionExpression: existing ? 'attribute_exists(pk)' : undefined,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: toAttributes(values),
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw userNotFound(userId);
      throw e;
    }
  }

  /**
   * Records that the identity provider confirmed the user's TOTP authenticator (`POST /v1/session/mfa`).
   */
  async setMfaEnrolled(userId: string, enrolled: boolean): Promise<void> {
    await this.updateUser(userId, { mfaEnrolled: enrolled }, true);
  }

  async putMembership(userId: string, m: Membership): Promise<void> {
    await this.put({ pk: `USER#${userId}`, sk: `MEMBER#${m.tenantId}`, type: 'Membership', ...m });
  }

  /**
   * The user's memberships as they are now (a strongly consistent read): what staff administration
   * decides from right after changing one, where the principal's cached view would be stale.
   */
  async memberships(userId: string): Promise<Membership[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: toAttributes({ ':pk': `USER#${userId}`, ':sk': 'MEMBER#' }),
      ConsistentRead: true,
    });
    return items.map((i) => stripKeys<Membership>(i, ['tenantId']));
  }

  /** Ends the user's membership of one organisation (staff removed from, or disabled in, a store). */
  async deleteMembership(userId: string, tenantId: string): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: toAttributes({ pk: `USER#${userId}`, sk: `MEMBER#${tenantId}` }),
      }),
    );
  }

  private async put(item: Item): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toAttributes(item) }));
  }

  /** One page of a directory query (a user's items, a group's stores: small, bounded collections). */
  private async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const out = await this.client.send(new QueryCommand({ TableName: this.tableName, ...input }));
    return (out.Items ?? []).map((raw) => unmarshall(raw));
  }
}

const userNotFound = (userId: string) => new AppError(404, 'USER_NOT_FOUND', `No user ${userId}.`);
