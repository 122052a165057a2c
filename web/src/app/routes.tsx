import type { Permission } from '@aftersales/domain';
import type { AppRoute, StoreRoute } from './feature.ts';
import { FEATURES } from './features.ts';
import { matchPath } from './router.tsx';

/** The pages inside a store (`/s/:storeId/…`), every feature's in the features' order, first match wins. */
export const STORE_ROUTES: readonly StoreRoute[] = FEATURES.flatMap((f) => f.storeRoutes ?? []);

/** The pages outside any store (`/hq/:groupId`). */
export const APP_ROUTES: readonly AppRoute[] = FEATURES.flatMap((f) => f.routes ?? []);

/** The store's main navigation: the routes that ask to be listed, as paths inside the store. */
export const STORE_NAV = STORE_ROUTES.flatMap((r) =>
  r.nav ? [{ sub: r.pattern.slice(1), label: r.nav }] : [],
);

function match<R extends { pattern: string }>(routes: readonly R[], path: string) {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** The route for a path inside a store (`customers/new#name=…` or `/customers/new`), with its parameters. */
export function storeRoute(sub: string): { route: StoreRoute; params: Record<string, string> } | undefined {
  return match(STORE_ROUTES, `/${sub.split(/[?#]/)[0]!.replace(/^\/+|\/+$/g, '')}`);
}

/** The route for an app path outside any store, with its parameters. */
export function appRoute(path: string): { route: AppRoute; params: Record<string, string> } | undefined {
  return match(APP_ROUTES, path);
}

/** The permission a path inside a store needs; undefined for a path that is no page. */
export function permissionFor(sub: string): Permission | undefined {
  return storeRoute(sub)?.route.permission;
}
