import type { Permission } from '@aftersales/domain';
import type { JSX } from 'preact';
import { CustomerFormPage } from '../customers/CustomerFormPage.tsx';
import { CustomerPage } from '../customers/CustomerPage.tsx';
import { ImportJobPage, ImportsPage } from '../imports/ImportsPage.tsx';
import { FrontDesk } from '../search/FrontDesk.tsx';
import { VehicleEditPage } from '../vehicles/VehicleEditPage.tsx';
import { VehicleFormPage } from '../vehicles/VehicleFormPage.tsx';
import { VehiclePage } from '../vehicles/VehiclePage.tsx';
import { matchPath } from './router.tsx';

interface StoreRoute {
  pattern: string;
  /**
   * What the page needs (ROLE_PERMISSIONS in the domain): without it the route shows "not allowed"
   * instead of the page, so a form that would fail on save is never opened by a typed or shared URL.
   */
  permission: Permission;
  render: (params: Record<string, string>) => JSX.Element;
}

/** The pages inside a store (`/s/:storeId/…`), first match wins: the one place a page's permission is declared. */
export const STORE_ROUTES: readonly StoreRoute[] = [
  { pattern: '/', permission: 'registry:read', render: () => <FrontDesk /> },
  { pattern: '/customers/new', permission: 'registry:write', render: () => <CustomerFormPage key="new" /> },
  {
    pattern: '/customers/:id/edit',
    permission: 'registry:write',
    render: (p) => <CustomerFormPage key={`edit-${p.id}`} customerId={p.id} />,
  },
  {
    pattern: '/customers/:id',
    permission: 'registry:read',
    render: (p) => <CustomerPage key={p.id} customerId={p.id!} />,
  },
  { pattern: '/vehicles/new', permission: 'registry:write', render: () => <VehicleFormPage /> },
  {
    pattern: '/vehicles/:id/edit',
    permission: 'registry:write',
    render: (p) => <VehicleEditPage key={p.id} vehicleId={p.id!} />,
  },
  {
    pattern: '/vehicles/:id',
    permission: 'registry:read',
    render: (p) => <VehiclePage key={p.id} vehicleId={p.id!} />,
  },
  { pattern: '/imports', permission: 'registry:import', render: () => <ImportsPage /> },
  {
    pattern: '/imports/:id',
    permission: 'registry:import',
    render: (p) => <ImportJobPage key={p.id} importId={p.id!} />,
  },
];

/** The route for a path inside a store (`customers/new?name=…` or `/customers/new`), with its parameters. */
export function storeRoute(sub: string): { route: StoreRoute; params: Record<string, string> } | undefined {
  const path = `/${sub.split('?')[0]!.replace(/^\/+|\/+$/g, '')}`;
  for (const route of STORE_ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** The permission a path inside a store needs; undefined for a path that is no page. */
export function permissionFor(sub: string): Permission | undefined {
  return storeRoute(sub)?.route.permission;
}
