import { appointments } from '../appointments/routes.tsx';
import { auth } from '../auth/routes.tsx';
import { claims } from '../claims/routes.tsx';
import { customers } from '../customers/routes.tsx';
import { hq } from '../hq/routes.tsx';
import { imports } from '../imports/routes.tsx';
import { lemonLaw } from '../lemon-law/routes.tsx';
import { messages } from '../messages/routes.tsx';
import { parts } from '../parts/routes.tsx';
import { purchasing } from '../purchasing/routes.tsx';
import { repairOrders } from '../repair-orders/routes.tsx';
import { search } from '../search/routes.tsx';
import { setup } from '../setup/routes.tsx';
import { staff } from '../staff/routes.tsx';
import { stocktakes } from '../stocktakes/routes.tsx';
import { vehicles } from '../vehicles/routes.tsx';
import { workshop } from '../workshop/routes.tsx';
import { writeOffs } from '../write-offs/routes.tsx';

/**
 * The features of the web app, each a folder with its pages, `api.ts`, `messages.ts` and `routes.tsx`.
 * Adding one is its folder and a line here. The order is the main navigation's order.
 */
export const FEATURES = [
  auth,
  search,
  appointments,
  repairOrders,
  workshop,
  claims,
  lemonLaw,
  parts,
  customers,
  vehicles,
  imports,
  setup,
  staff,
  messages,
  stocktakes,
  writeOffs,
  purchasing,
  hq,
] as const;
