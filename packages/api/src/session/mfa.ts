import type { DataAccess } from '@aftersales/data';
import { AppError } from '@aftersales/domain';
import * as z from 'zod';
import { json } from '../platform/http.ts';
import { type IdentityProvider, mfaRequired } from '../platform/mfa.ts';
import { ApiRoutes } from '../platform/route.ts';

const MfaStatus = z
  .object({
    mfaRequired: z.boolean().meta({ description: 'Whether one of your roles requires two-step sign-in.' }),
    mfaEnrolled: z.literal(true),
  })
  .meta({ id: 'MfaStatus' });

/**
 * `POST /v1/session/mfa`: after setting up TOTP with the identity provider (AssociateSoftwareToken,
 * VerifySoftwareToken, SetUserMFAPreference), the web app asks the API to check it there and record it
 * on the directory user, which lifts `MFA_ENROLMENT_REQUIRED`.
 */
export function mfaSession(data: DataAccess, identity: IdentityProvider) {
  const app = new ApiRoutes();
  app.openapi(
    {
      method: 'post',
      path: '/',
      operationId: 'confirmMfa',
      permission: 'signed-in',
      tags: ['Session'],
      summary: 'Confirm your TOTP authenticator with the identity provider',
      errors: ['MFA_NOT_SET_UP'],
      responses: { 200: json(MfaStatus, 'Enrolment recorded') },
    },
    async (c) => {
      const principal = c.get('principal');
      if (!(await identity.hasSoftwareTokenMfa(principal.user)))
        throw new AppError(
          409,
          'MFA_NOT_SET_UP',
          'The identity provider has no verified authenticator app for you yet: set one up first.',
        );
      await data.directory.setMfaEnrolled(principal.user.id, true);
      return c.json({ mfaRequired: mfaRequired(principal), mfaEnrolled: true as const }, 200);
    },
  );
  return app;
}
