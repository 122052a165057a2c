import type { DataAccess, Directory } from '@aftersales/data';
import { type Membership, type UserProfile, usernameTakenError } from '@aftersales/domain';
import type { IdentityProvider } from './mfa.ts';

/** A sign-in account to create with an invitation. */
export interface NewAccount {
  username: string;
  displayName: string;
  email: string;
  locale: UserProfile['locale'];
}

/**
 * The identity provider's accounts, as staff administration needs them: Cognito in AWS
 * (`cognitoAccounts`), the development identity provider locally (packages/local).
 */
export interface IdentityAccounts extends IdentityProvider {
  /**
   * Creates the account with a temporary password the provider delivers: Cognito e-mails it
   * (AdminCreateUser); the dev IdP keeps it and returns it, so the local server can show it. Answers the
   * new user's id (Cognito's `sub`), which the directory and the staff record take.
   */
  createAccount: (account: NewAccount) => Promise<{ userId: string; temporaryPassword?: string }>;
  /** Disabling also signs the user out everywhere at the provider (refresh tokens end). */
  setAccountEnabled: (username: string, enabled: boolean) => Promise<void>;
}

/**
 * Users, their roles and their access, behind one interface: the provider's account and the platform
 * directory (profile, membership, disabled flag) written together, so a manager never edits either by
 * hand. A change reaches every API instance within the principal cache's 30 s (auth.ts).
 */
export class IdentityAdmin {
  constructor(
    private readonly accounts: IdentityAccounts,
    private readonly data: Pick<DataAccess, 'directory'>,
  ) {}

  // Read when used: an app built only to read its operations (the document) has no directory.
  private get directory(): Directory {
    return this.data.directory;
  }

  /** A new user with roles in one store; the directory is written only once the account exists. */
  async invite(
    account: NewAccount,
    membership: Membership,
  ): Promise<{ userId: string; temporaryPassword?: string }> {
    if (await this.directory.findUserByUsername(account.username)) throw usernameTakenError(account.username);
    const created = await this.accounts.createAccount(account);
    await this.directory.putUser({
      id: created.userId,
      username: account.username,
      displayName: account.displayName,
      locale: account.locale,
    });
    await this.directory.putMembership(created.userId, membership);
    return created;
  }

  /** The user's roles in one store, as the staff record now says. */
  async setMembership(userId: string, membership: Membership): Promise<void> {
    await this.directory.putMembership(userId, membership);
  }

  /** Out of one store: the membership ends and every token they hold is refused. */
  async removeFromStore(user: { id: string }, storeId: string, at: Date): Promise<void> {
    await this.directory.deleteMembership(user.id, storeId);
    await this.directory.revokeSessions(user.id, at);
  }

  /**
   * Disabled in one store (停用): that store's membership ends, so the store refuses them at the next
   * token check, while their other stores (a person may work in several) go on as before; their
   * sessions stay, as those stores still need them. Only when no membership is left is the account
   * itself disabled, at the provider (no new sign-in) and in the directory (every token refused).
   */
  async disableInStore(user: { id: string; username: string }, storeId: string, at: Date): Promise<void> {
    await this.directory.deleteMembership(user.id, storeId);
    if ((await this.directory.memberships(user.id)).length > 0) return;
    await this.accounts.setAccountEnabled(user.username, false);
    await this.directory.setUserDisabled(user.id, true, at);
  }

  /**
   * Enabled in one store again: its membership is back, and the account is enabled (it may have been
   * disabled with their last store; enabling an enabled account changes nothing).
   */
  async enableInStore(
    user: { id: string; username: string },
    membership: Membership,
    at: Date,
  ): Promise<void> {
    await this.directory.putMembership(user.id, membership);
    await this.directory.setUserDisabled(user.id, false, at);
    await this.accounts.setAccountEnabled(user.username, true);
  }
}

/** Cognito: AdminCreateUser (it e-mails the invitation), AdminDisableUser + AdminUserGlobalSignOut, AdminEnableUser. */
export function cognitoAccounts(userPoolId: string, mfa: IdentityProvider): IdentityAccounts {
  // Loaded when first asked (staff changes are rare): a cold start of the API does not load the client.
  const sdk = async () => {
    const m = await import('@aws-sdk/client-cognito-identity-provider');
    return { m, client: new m.CognitoIdentityProviderClient({}) };
  };
  let loaded: ReturnType<typeof sdk> | undefined;
  const load = () => {
    loaded ??= sdk().catch((e: unknown) => {
      loaded = undefined;
      throw e;
    });
    return loaded;
  };
  return {
    hasSoftwareTokenMfa: mfa.hasSoftwareTokenMfa,
    createAccount: async (account) => {
      const { m, client } = await load();
      try {
        const out = await client.send(
          new m.AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: account.username,
            DesiredDeliveryMediums: ['EMAIL'],
            UserAttributes: [
              { Name: 'email', Value: account.email },
              { Name: 'email_verified', Value: 'true' },
              { Name: 'name', Value: account.displayName },
              { Name: 'locale', Value: account.locale },
            ],
          }),
        );
        const sub = out.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
        if (!sub) throw new Error('AdminCreateUser answered no sub');
        return { userId: sub };
      } catch (e) {
        if (e instanceof m.UsernameExistsException) throw usernameTakenError(account.username);
        throw e;
      }
    },
    setAccountEnabled: async (username, enabled) => {
      const { m, client } = await load();
      const who = { UserPoolId: userPoolId, Username: username };
      if (enabled) {
        await client.send(new m.AdminEnableUserCommand(who));
        return;
      }
      await client.send(new m.AdminDisableUserCommand(who));
      // Refresh tokens end too: a disabled user's app cannot quietly get new access tokens.
      await client.send(new m.AdminUserGlobalSignOutCommand(who));
    },
  };
}

/** For an app built only to read its operations (the document, route lists): every call refused. */
export function unavailableAccounts(reason: string): IdentityAccounts {
  const refuse = () => Promise.reject(new Error(reason));
  return { hasSoftwareTokenMfa: refuse, createAccount: refuse, setAccountEnabled: refuse };
}
