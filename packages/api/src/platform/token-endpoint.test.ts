import { describe, expect, it } from 'vitest';
import { appOpenApiJson } from './openapi-document.ts';
import { withTokenUrl } from './token-endpoint.ts';

const COGNITO = 'https://aftersales-123.auth.eu-central-1.amazoncognito.com/oauth2/token';

describe('withTokenUrl', () => {
  it('makes the deployed document advertise the Cognito token URL and nothing of the dev IdP', async () => {
    // Prepare: the document as bundled (generated at build time).
    const bundled = appOpenApiJson();
    expect(bundled).toContain('/dev-idp/token');

    // Act
    const served = await withTokenUrl(() => bundled, COGNITO)([]);

    // Assess
    expect(served).not.toContain('dev-idp');
    const doc = JSON.parse(served) as { components: { securitySchemes: Record<string, unknown> } };
    expect(doc.components.securitySchemes.oauth2).toMatchObject({
      type: 'oauth2',
      flows: {
        clientCredentials: { tokenUrl: COGNITO, scopes: { 'aftersales/claims': expect.any(String) } },
      },
    });
    expect(Object.keys((doc.components.securitySchemes.oauth2 as { flows: object }).flows)).toEqual([
      'clientCredentials',
    ]);
    // Everything else is the bundled document.
    expect({ ...doc, components: { ...doc.components, securitySchemes: {} } }).toEqual({
      ...JSON.parse(bundled),
      components: { ...JSON.parse(bundled).components, securitySchemes: {} },
    });
  });
});
