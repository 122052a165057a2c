import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface AuthProps {
  /**
   * Prefix of the Cognito hosted domain (`<prefix>.auth.<region>.amazoncognito.com`), which serves
   * `/oauth2/token` for the OEM client. Must be unique in the region across all AWS accounts.
   * @default `aftersales-<account id>`
   */
  readonly domainPrefix?: string;
  /**
   * The OEMs (`oem_…` directory ids) whose systems call the manufacturer API: one machine client each
   * (client-credentials grant, with a secret), so each integration has its own credentials, limits and
   * revocation. A client reaches its OEM once the directory names it a member (README, OEM quick start).
   * @default none
   */
  readonly oemIntegrations?: readonly string[];
}

/** `oem_FAWVOLKSWAGEN` → `FAWVOLKSWAGEN`: an OEM id as part of a construct id and an output's name. */
export function oemIdSuffix(oemId: string): string {
  if (!/^oem_[A-Za-z0-9]+$/.test(oemId))
    throw new Error(`${oemId} is not an OEM id (oem_ then letters and digits)`);
  return oemId.slice('oem_'.length);
}

/**
 * Sign-in for people and machines, one Cognito user pool:
 *
 * - Staff accounts are created by administrators (no self sign-up); sign-in by username or e-mail,
 *   strong passwords, optional TOTP MFA, threat protection (Plus feature plan) in enforcing mode.
 * - The web app client (no secret: the static SPA calls `InitiateAuth` with `USER_PASSWORD_AUTH`
 *   over HTTPS, answers NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA and MFA_SETUP, refreshes with the
 *   refresh token and revokes it at sign-out); it may write only the user's name and locale.
 * - The resource server `aftersales` with scope `claims`, and one machine client per OEM integration
 *   (client-credentials grant, with a secret) that reads and adjudicates the warranty claims filed to it.
 *
 * Every client's access tokens carry `client_id`; the API accepts exactly `acceptedClientIds`.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;
  /** The machine client of each OEM integration, by OEM id. */
  readonly oemClients: Readonly<Record<string, cognito.UserPoolClient>>;
  readonly resourceServer: cognito.UserPoolResourceServer;
  readonly domain: cognito.UserPoolDomain;
  readonly userPoolId: string;
  readonly webClientId: string;
  /** Token issuer (`iss`): `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  readonly issuerUrl: string;
  readonly jwksUrl: string;
  /** The OAuth 2.0 token endpoint for the client-credentials grant. */
  readonly tokenUrl: string;
  /** The OEM client's scope, `aftersales/claims`. */
  readonly claimsScope: string;
  /** App clients whose access tokens the API accepts: the web client and each OEM integration's. */
  readonly acceptedClientIds: readonly string[];

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // A changed e-mail takes effect only once the user confirms it: a stolen access token cannot move
      // the account (and its password recovery) to another address.
      keepOriginal: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is OPTIONAL (TOTP) in the pool because Cognito cannot require it per role: technicians and ' +
        'advisors share workshop terminals, while managers and HQ must use TOTP — the API refuses them ' +
        '(MFA_ENROLMENT_REQUIRED) until the pool confirms their authenticator, and a user with TOTP is always ' +
        'challenged. Compromised-credential and risky sign-in detection run in enforcing mode (Plus plan).',
    });

    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      // What a signed-in user may read and write of their own profile with their access token: names and
      // locale, never the e-mail (account recovery) — administrators change that.
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true, locale: true })
        .withCustomAttributes(),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({
        fullname: true,
        locale: true,
      }),
      authFlows: { userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    const claims = new cognito.ResourceServerScope({
      scopeName: 'claims',
      scopeDescription: 'File, read and adjudicate warranty claims',
    });
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: 'aftersales',
      userPoolResourceServerName: 'Aftersales Cloud API',
      scopes: [claims],
    });
    this.claimsScope = `aftersales/${claims.scopeName}`;

    const oemClients: Record<string, cognito.UserPoolClient> = {};
    for (const oemId of new Set(props.oemIntegrations ?? [])) {
      oemClients[oemId] = this.userPool.addClient(`OemClient${oemIdSuffix(oemId)}`, {
        userPoolClientName: oemId,
        generateSecret: true,
        // No user sign-in flows: the machine client only uses the client-credentials grant.
        authFlows: { userPassword: false },
        oAuth: {
          flows: { clientCredentials: true },
          scopes: [cognito.OAuthScope.resourceServer(this.resourceServer, claims)],
        },
        enableTokenRevocation: true,
        accessTokenValidity: Duration.hours(1),
      });
    }
    this.oemClients = oemClients;

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `aftersales-${Stack.of(this).account}` },
    });

    this.userPoolId = this.userPool.userPoolId;
    this.webClientId = this.webClient.userPoolClientId;
    this.issuerUrl = this.userPool.userPoolProviderUrl;
    this.jwksUrl = `${this.issuerUrl}/.well-known/jwks.json`;
    this.tokenUrl = `${this.domain.baseUrl()}/oauth2/token`;
    this.acceptedClientIds = [this.webClientId, ...Object.values(oemClients).map((c) => c.userPoolClientId)];
  }
}
