import type { AppDeps } from '../app.ts';
import type { Principals } from '../platform/auth.ts';
import type { ApiRoutes } from '../platform/route.ts';
import type { RouteGroupName } from './paths.ts';

/** What every group's routes share with the app: its clock and its cache of principals. */
export interface AppShared {
  now: () => Date;
  principals: Principals;
}

/** The routes one function serves, mounted on the app `createApp` built (its middleware already in place). */
export interface RouteGroup {
  name: RouteGroupName;
  mount(app: ApiRoutes, deps: AppDeps, shared: AppShared): void;
}
