import type { Schemas } from '@aftersales/api-client';
import type { Permission } from '@aftersales/domain';
import { vinPolicyFor } from '@aftersales/domain';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { HttpClient } from '../api/client.ts';
import type { StoreClient } from '../api/store.ts';

export type Me = Schemas['Me'];
export type AccessibleStore = Schemas['AccessibleStore'];
export type StoreProfile = Schemas['StoreSession'];

/** The signed-in user, and the store being worked in. */
export interface Session {
  me: Me;
  http: HttpClient;
  signOut: () => void;
}

export interface StoreScope {
  store: AccessibleStore;
  /** Brands, jurisdiction, time zone: loaded after the store is chosen. */
  profile: StoreProfile | undefined;
  /** The store's API client: feature calls (`customers/api.ts`, …) take it as their first argument. */
  api: StoreClient;
  can: (p: Permission) => boolean;
  /** Whether this user may open a page of this store (`customers/new`): links to others are not shown. */
  canOpen: (sub: string) => boolean;
  /** An app path inside this store: `href('customers/x')` → `/s/st_…/customers/x`. */
  href: (sub?: string) => string;
  vinPolicy: 'strict' | 'warn';
}

export const SessionContext = createContext<Session | null>(null);
export const StoreContext = createContext<StoreScope | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}

export function useStore(): StoreScope {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useStore outside a store');
  return s;
}

export function storeScope(
  store: AccessibleStore,
  profile: StoreProfile | undefined,
  api: StoreClient,
  /** The permission each page needs (routes.tsx); passed in, so that pages need not import the route table. */
  permissionFor: (sub: string) => Permission | undefined,
): StoreScope {
  const perms = new Set(profile?.permissions ?? store.permissions);
  const base = `/s/${encodeURIComponent(store.id)}`;
  const can = (p: Permission) => perms.has(p);
  return {
    store,
    profile,
    api,
    can,
    canOpen: (sub) => {
      const needed = permissionFor(sub);
      return needed !== undefined && can(needed);
    },
    href: (sub) => (sub ? `${base}/${sub}` : base),
    vinPolicy: profile ? vinPolicyFor(profile.store.jurisdiction) : 'strict',
  };
}
