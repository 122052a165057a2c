import { BookingChallenges, DEFAULT_CHALLENGE } from '@aftersales/data/appointments';
import { messageProviderFromEnv } from '@aftersales/data/messages';
import { publicBooking } from '../appointments/public.ts';
import { appointments } from '../appointments/routes.ts';
import { hq } from '../hq/routes.ts';
import { imports } from '../imports/routes.ts';
import { messages } from '../messages/routes.ts';
import { appointmentParts } from '../parts/appointment-parts.ts';
import { IdentityAdmin } from '../platform/identity-admin.ts';
import { customers } from '../registry/customers.ts';
import { vehicles } from '../registry/vehicles.ts';
import { mfaSession } from '../session/mfa.ts';
import { me, session, store } from '../session/routes.ts';
import { labourOpImports } from '../setup/labour-op-imports.ts';
import { setup } from '../setup/routes.ts';
import { staff } from '../staff/routes.ts';
import type { RouteGroup } from './group.ts';

/**
 * The front office and everything else (functions/api): sign-in and the session, the registry, imports,
 * set-up, staff, appointments and the public booking page, messages, and the group's HQ views.
 */
export const OFFICE: RouteGroup = {
  name: 'office',
  mount(app, deps, { now, principals }) {
    app.route('/v1/me', me(deps.data));
    app.route('/v1/session', session(deps.data, principals, now));
    app.route('/v1/session/mfa', mfaSession(deps.data, deps.identity));
    app.route('/v1/stores/:storeId', store);
    app.route('/v1/stores/:storeId/customers', customers);
    app.route('/v1/stores/:storeId/vehicles', vehicles);
    app.route('/v1/stores/:storeId/imports', imports);
    app.route('/v1/stores/:storeId/setup/labour-op-imports', labourOpImports);
    app.route('/v1/stores/:storeId/setup', setup);
    app.route('/v1/stores/:storeId/appointments', appointments(deps.data));
    // A booking's parts (预约备件): the booking's path, the parts capability's routes.
    app.route('/v1/stores/:storeId/appointments', appointmentParts());
    app.route('/v1/stores/:storeId/staff', staff(new IdentityAdmin(deps.identity, deps.data), principals));
    app.route('/v1/stores/:storeId/messages', messages(messageProviderFromEnv()));
    app.route('/v1/groups/:groupId', hq(deps.data));
    const { secret, ...challengeOptions } = deps.challenges ?? {};
    app.route(
      '/public/v1/stores/:storeId',
      publicBooking(
        deps.data,
        new BookingChallenges(secret, { ...DEFAULT_CHALLENGE, ...challengeOptions }),
        now,
      ),
    );
  },
};
