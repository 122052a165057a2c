import type { OpenApiSource } from '../app.ts';

/** The scope of the client-credentials grant: what an OEM machine client is issued, and only it. */
export const MACHINE_SCOPE = 'aftersales/claims';

const MACHINE_SCOPES = { [MACHINE_SCOPE]: 'File, read and adjudicate warranty claims (OEM clients).' };

/**
 * The `oauth2` security scheme: where tokens come from. Without a token URL it describes the local
 * development identity provider (`/dev-idp/token`, password and client-credentials grants); with one
 * (the Cognito domain's `/oauth2/token`, in AWS) only that URL, for OEM clients' client credentials:
 * staff sign in to Cognito from the web app, and the deployed API has no `/dev-idp`.
 */
export function oauth2Scheme(cognitoTokenUrl?: string) {
  const bearer = 'Send the access token as `Authorization: Bearer <token>`.';
  if (cognitoTokenUrl)
    return {
      type: 'oauth2' as const,
      description: `OEM machine clients get access tokens from Cognito (client credentials, scope \`${MACHINE_SCOPE}\`); staff sign in to Cognito from the web app. ${bearer}`,
      flows: { clientCredentials: { tokenUrl: cognitoTokenUrl, scopes: MACHINE_SCOPES } },
    };
  return {
    type: 'oauth2' as const,
    description: `Locally: the development identity provider at \`/dev-idp/token\` (password grant for the demo users, client credentials for OEM clients). The deployed API states its Cognito domain’s \`/oauth2/token\` (\`https://<domain>.auth.<region>.amazoncognito.com/oauth2/token\`) here instead, for client credentials only. ${bearer}`,
    flows: {
      password: { tokenUrl: '/dev-idp/token', scopes: {} },
      clientCredentials: { tokenUrl: '/dev-idp/token', scopes: MACHINE_SCOPES },
    },
  };
}

/**
 * The document as served in AWS: the bundled one (generated at build time, when the Cognito domain is
 * not known yet) with its `oauth2` scheme replaced by the deployed token URL (`AUTH_TOKEN_URL`).
 */
export function withTokenUrl(source: OpenApiSource, cognitoTokenUrl: string): OpenApiSource {
  return async (routes) => {
    const document = JSON.parse(await source(routes)) as {
      components?: { securitySchemes?: Record<string, unknown> };
    };
    const schemes = document.components?.securitySchemes;
    if (!schemes?.oauth2) throw new Error('The OpenAPI document has no oauth2 security scheme to update');
    schemes.oauth2 = oauth2Scheme(cognitoTokenUrl);
    return JSON.stringify(document);
  };
}
