import type { Permission } from '@aftersales/domain';
import type { JSX } from 'preact';
import type { MessageKey } from '../i18n/index.tsx';
import type { Bilingual, MessageTree } from '../i18n/messages.ts';

/** A page inside a store (`/s/:storeId/…`). */
export interface StoreRoute {
  /** Below the store, e.g. `/customers/:id`; within a feature, first match wins. */
  pattern: string;
  /**
   * What the page needs (ROLE_PERMISSIONS in the domain): without it the route shows "not allowed"
   * instead of the page, so a form that would fail on save is never opened by a typed or shared URL.
   */
  permission: Permission;
  render: (params: Record<string, string>) => JSX.Element;
  /** Listed in the store's main navigation under this label (for patterns without parameters). */
  nav?: MessageKey;
}

/** A page outside any store (`/hq/:groupId`); it checks its own access, as it knows whose it is. */
export interface AppRoute {
  pattern: string;
  render: (params: Record<string, string>) => JSX.Element;
}

/**
 * One feature of the web app, as its folder contributes it to the app (`app/features.ts`): its
 * strings in both languages and its pages. Its API calls (`api.ts`) are imported by its pages.
 */
export interface Feature<M extends MessageTree> {
  /** Its folder's name, for messages about it (a key two features define). */
  name: string;
  messages: Bilingual<M>;
  storeRoutes?: readonly StoreRoute[];
  routes?: readonly AppRoute[];
}
