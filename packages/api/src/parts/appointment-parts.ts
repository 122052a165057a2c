import { APPOINTMENT, Appointments } from '@aftersales/data/appointments';
import { bookingParts, reserveForBooking } from '@aftersales/data/parts';
import { IdempotencyHeader, idempotency, json, recordParams } from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { StockBodies } from './stock-bodies.ts';

const tags = ['Stock'];
const Params = recordParams(APPOINTMENT);

/** 预约备件: a booking's needed parts against the stock, and holding them for it. */
export function appointmentParts() {
  const routes = new ApiRoutes();

  routes.openapi(
    {
      method: 'get',
      path: '/{appointmentId}/parts',
      operationId: 'getAppointmentParts',
      permission: 'appointment:read',
      tags,
      summary: 'The parts a booking needs, each reserved, in stock or to order (with its expected date)',
      description:
        'Read with the booking (`appointment:read`, which the parts staff hold too). A number not in the catalogue is `unknown_part`; a retired part is `retired`, with its replacement in `supersededBy`, and reserving holds nothing of it (the others are still held). A few reads whatever the stock: the parts’ number guards, their books and records (one BatchGet each) and the booking’s reservations (one BatchGet).',
      request: { params: Params },
      responses: { 200: json(StockBodies.DocumentParts, 'The booking’s parts and their states') },
    },
    async (c) => {
      const { tenant } = c.var;
      const booking = await tenant.repo(Appointments).require(c.req.valid('param').appointmentId);
      return c.json(await bookingParts(tenant, booking), 200);
    },
  );

  routes.openapi(
    {
      method: 'post',
      path: '/{appointmentId}/parts/reserve',
      operationId: 'reserveAppointmentParts',
      permission: 'stock:reserve',
      tags,
      summary: '备件: reserve what the booking needs; what the shelf lacks is marked to order',
      description:
        'Tops each needed part up to the booking’s quantity: a retry (or a second press) reserves nothing more. A part short on the shelf holds what there is, is marked short (it goes on the purchase plan) and answers `to_order` with its book’s `expectedOn`. Every line is judged before anything is held: a retired part holds nothing and answers `retired` (with `supersededBy`), and the others are still held. Pre-picking to the pick shelf (`P-00-0-01`) is not done here: the keeper posts it as a `transfer` when the parts are carried there, so the card says where they are only once they are. A checked-in, missed or cancelled booking is a 409 `APPOINTMENT_CLOSED`; its reservations are released by the booking’s status event.',
      errors: ['APPOINTMENT_CLOSED', 'PART_INACTIVE'],
      request: { params: Params, headers: IdempotencyHeader },
      responses: {
        200: json(StockBodies.DocumentParts, 'The booking’s parts and their states after reserving'),
      },
    },
    async (c) => {
      const { tenant } = c.var;
      const { appointmentId } = c.req.valid('param');
      const booking = await tenant.repo(Appointments).require(appointmentId);
      return c.json(await reserveForBooking(tenant, booking, idempotency(c, { appointmentId })), 200);
    },
  );

  return routes;
}
