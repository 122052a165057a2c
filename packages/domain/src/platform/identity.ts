import * as z from 'zod';
import type { Role } from './tenancy.ts';

/**
 * Who must sign in with a second factor: the roles that manage a store's after-sales department or
 * its people and stock, and every HQ role (they see every store of the group). Cognito cannot require
 * MFA per group, so the pool keeps MFA optional and the API refuses these roles until the directory
 * marks the user enrolled (`MFA_ENROLMENT_REQUIRED`).
 */
export const MFA_REQUIRED_ROLES: ReadonlySet<Role> = new Set<Role>([
  'service_manager',
  'workshop_manager',
  'parts_manager',
  'hq_executive',
  'hq_analyst',
]);

export function requiresMfa(roles: Iterable<Role>): boolean {
  for (const r of roles) if (MFA_REQUIRED_ROLES.has(r)) return true;
  return false;
}

/**
 * The subset of the Amazon Cognito Identity Provider JSON protocol (`X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Operation>`, `application/x-amz-json-1.1`) the web app speaks:
 * the web client sends these shapes to Cognito in AWS and to the development identity provider locally,
 * which parses them with the same schemas. Field names are Cognito's.
 */
export const COGNITO_TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const COGNITO_CONTENT_TYPE = 'application/x-amz-json-1.1';

export const ChallengeName = z.enum(['NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA', 'MFA_SETUP']);
export type ChallengeName = z.infer<typeof ChallengeName>;

export const InitiateAuthRequest = z.object({
  AuthFlow: z.enum(['USER_PASSWORD_AUTH', 'REFRESH_TOKEN_AUTH']),
  ClientId: z.string().min(1),
  AuthParameters: z.record(z.string(), z.string()),
});

export const RespondToAuthChallengeRequest = z.object({
  ChallengeName,
  ClientId: z.string().min(1),
  Session: z.string().min(1),
  ChallengeResponses: z.record(z.string(), z.string()),
});

/** Authorised by the signed-in user's access token, or by the session of an `MFA_SETUP` challenge. */
export const AssociateSoftwareTokenRequest = z.object({
  AccessToken: z.string().min(1).optional(),
  Session: z.string().min(1).optional(),
});

export const VerifySoftwareTokenRequest = z.object({
  AccessToken: z.string().min(1).optional(),
  Session: z.string().min(1).optional(),
  UserCode: z.string().min(1),
  FriendlyDeviceName: z.string().optional(),
});

export const SetUserMfaPreferenceRequest = z.object({
  AccessToken: z.string().min(1),
  SoftwareTokenMfaSettings: z.object({ Enabled: z.boolean(), PreferredMfa: z.boolean().optional() }),
});

export const RevokeTokenRequest = z.object({ Token: z.string().min(1), ClientId: z.string().min(1) });

export const AuthenticationResult = z.object({
  AccessToken: z.string(),
  ExpiresIn: z.number(),
  TokenType: z.string(),
  IdToken: z.string().optional(),
  /** Absent when refreshing (REFRESH_TOKEN_AUTH keeps the refresh token it was given). */
  RefreshToken: z.string().optional(),
});
export type AuthenticationResult = z.infer<typeof AuthenticationResult>;

/** What InitiateAuth and RespondToAuthChallenge answer: tokens, or the next challenge. */
export const AuthResponse = z.object({
  AuthenticationResult: AuthenticationResult.optional(),
  ChallengeName: ChallengeName.optional(),
  Session: z.string().optional(),
  ChallengeParameters: z.record(z.string(), z.string()).optional(),
});
export type AuthResponse = z.infer<typeof AuthResponse>;

export const AssociateSoftwareTokenResponse = z.object({
  SecretCode: z.string(),
  Session: z.string().optional(),
});

export const VerifySoftwareTokenResponse = z.object({
  Status: z.enum(['SUCCESS', 'ERROR']),
  Session: z.string().optional(),
});

/** SetUserMFAPreference and RevokeToken answer an empty object. */
export const EmptyResponse = z.object({});

/** Cognito's error body: `__type` is the exception's name (`CodeMismatchException`, …). */
export const CognitoErrorBody = z.object({ __type: z.string(), message: z.string().optional() });
