import type { DataAccess, Principal } from '@aftersales/data';
import { ForbiddenError, requiresMfa, type UserProfile } from '@aftersales/domain';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

/**
 * The identity provider, as far as the API asks it anything: whether a user has a verified TOTP
 * authenticator. In AWS, Cognito's AdminGetUser (`cognitoIdentity`); locally, the development identity
 * provider's own state (packages/local).
 */
export interface IdentityProvider {
  hasSoftwareTokenMfa: (user: Pick<UserProfile, 'username'>) => Promise<boolean>;
}

/** Cognito's `AdminGetUser`: its `UserMFASettingList` names `SOFTWARE_TOKEN_MFA` once TOTP is enabled. */
export function cognitoIdentity(userPoolId: string): IdentityProvider {
  // Loaded when first asked (an enrolment, rare): a cold start of the API does not load the SDK client.
  let admin: Promise<(username: string) => Promise<string[]>> | undefined;
  const load = async () => {
    const { AdminGetUserCommand, CognitoIdentityProviderClient } = await import(
      '@aws-sdk/client-cognito-identity-provider'
    );
    const client = new CognitoIdentityProviderClient({});
    return async (username: string) =>
      (await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })))
        .UserMFASettingList ?? [];
  };
  return {
    hasSoftwareTokenMfa: async (user) => {
      admin ??= load().catch((e: unknown) => {
        admin = undefined;
        throw e;
      });
      // The directory's username is the pool's username (users are created in both with the same one).
      return (await (await admin)(user.username)).includes('SOFTWARE_TOKEN_MFA');
    },
  };
}

/** Operations a user who must enrol MFA may still call: who am I, confirm enrolment, sign out. */
export const MFA_EXEMPT_OPERATIONS: ReadonlySet<string> = new Set(['getMe', 'confirmMfa', 'signOut']);
const MFA_EXEMPT_PATHS: ReadonlySet<string> = new Set(['/v1/me', '/v1/session/mfa', '/v1/session/sign-out']);

/** Whether the principal's roles require MFA anywhere they hold them. */
export function mfaRequired(principal: Principal): boolean {
  return requiresMfa(principal.memberships.flatMap((m) => m.roles));
}

/**
 * Whether the user is MFA-enrolled now. The principal is cached for 30 s, so a "not enrolled" is read
 * again from the directory: an enrolment just confirmed counts on the next request, and only the few
 * users still to enrol pay for the read.
 */
export async function mfaEnrolledNow(data: DataAccess, principal: Principal): Promise<boolean> {
  if (principal.user.mfaEnrolled) return true;
  const fresh = await data.directory.getPrincipal(principal.user.id);
  return fresh?.user.mfaEnrolled === true;
}

/**
 * Refuses every operation but the session ones to a user whose roles require MFA and who has not
 * enrolled: Cognito cannot require MFA per group, so the API does (403 `MFA_ENROLMENT_REQUIRED`).
 */
export function requireMfaEnrolment(data: DataAccess): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (
      !MFA_EXEMPT_PATHS.has(c.req.path) &&
      mfaRequired(principal) &&
      !(await mfaEnrolledNow(data, principal))
    )
      throw new ForbiddenError(
        'Your role requires two-step sign-in: set up an authenticator app, then try again.',
        'MFA_ENROLMENT_REQUIRED',
      );
    await next();
  };
}
