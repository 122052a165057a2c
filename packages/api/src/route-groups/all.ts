import type { RouteGroup } from './group.ts';
import { OEM } from './oem.ts';
import { OFFICE } from './office.ts';
import { WAREHOUSE } from './warehouse.ts';
import { WORKSHOP } from './workshop.ts';

/** Every route group: what the local server, the tests and the OpenAPI document serve in one app. */
export const ALL_ROUTES: readonly RouteGroup[] = [OFFICE, WAREHOUSE, WORKSHOP, OEM];
