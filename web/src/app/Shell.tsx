import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { hqGroups, hqHref } from '../hq/HqHome.tsx';
import { LanguageSwitch, useI18n } from '../i18n/index.tsx';
import { Link, navigate, useLocation } from './router.tsx';
import { STORE_NAV } from './routes.tsx';
import { StoreContext, useSession } from './session.tsx';

/** Header (brand, store, language, user), navigation, and the page. */
export function Shell({ children }: { children: ComponentChildren }) {
  const { t, m } = useI18n();
  const { me, signOut } = useSession();
  const scope = useContext(StoreContext);
  const { path } = useLocation();
  const store = scope?.store;
  const readOnly = scope ? !scope.can('registry:write') : true;

  // The store's home is active on itself only; every other entry also below it (`imports/…`).
  const nav = scope
    ? STORE_NAV.filter((n) => scope.canOpen(n.sub)).map((n) => ({
        href: scope.href(n.sub),
        label: t(n.label),
        exact: n.sub === '',
      }))
    : [];
  // One entry is current: the most specific one the page is below (`claims/archive`, not also `claims`).
  const current = nav
    .filter((n) => (n.exact ? path === n.href : path.startsWith(n.href)))
    .reduce<string | undefined>(
      (best, n) => (best && best.length >= n.href.length ? best : n.href),
      undefined,
    );

  return (
    <div class="shell">
      <header class="topbar">
        <div class="topbar-inner">
          <Link class="brand" href={scope ? scope.href() : '/'}>
            <span class="brand-mark" aria-hidden="true">
              售
            </span>
            <span class="brand-name">{t('app.name')}</span>
          </Link>
          <div class="topbar-controls">
            {hqGroups(me.memberships).map((g) => (
              <Link
                key={g.tenantId}
                class={path === hqHref(g.tenantId) ? 'btn btn-quiet active' : 'btn btn-quiet'}
                href={hqHref(g.tenantId)}
                aria-current={path === hqHref(g.tenantId) ? 'page' : undefined}
              >
                {t('nav.hqHome')}
              </Link>
            ))}
            {me.stores.length > 1 ? (
              <label class="store-switch">
                <span class="label-text">{t('header.store')}</span>
                <select
                  value={store?.id ?? ''}
                  onChange={(e) => navigate(`/s/${encodeURIComponent(e.currentTarget.value)}`)}
                >
                  {!store && <option value="">—</option>}
                  {me.stores.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                      {s.via === 'group' ? ` · ${t('header.hqShort')}` : ''}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              store && (
                <span class="store-name" title={store.name}>
                  <span class="label-text">{t('header.store')}</span> {store.name}
                </span>
              )
            )}
            <LanguageSwitch />
            <div class="user">
              <span class="user-name">{me.user.displayName}</span>
              {store && <span class="user-roles">{store.roles.map((r) => m.roles[r]).join(' · ')}</span>}
            </div>
            <button type="button" class="btn btn-quiet" onClick={signOut}>
              {t('nav.signOut')}
            </button>
          </div>
        </div>
        {store && (store.via === 'group' || readOnly) && (
          <div class={`context-bar${store.via === 'group' ? ' hq' : ''}`}>
            {store.via === 'group' ? t('header.hqView') : t('header.readOnly')}
          </div>
        )}
      </header>
      {scope && (
        <nav class="mainnav" aria-label={t('nav.label')}>
          <div class="mainnav-inner">
            {nav.map((n) => {
              const active = n.href === current;
              return (
                <Link
                  key={n.href}
                  href={n.href}
                  class={active ? 'navlink active' : 'navlink'}
                  aria-current={active ? 'page' : undefined}
                >
                  {n.label}
                </Link>
              );
            })}
            <a class="navlink" href="/docs/">
              {t('nav.apiDocs')}
            </a>
          </div>
        </nav>
      )}
      <main class="content">{children}</main>
    </div>
  );
}
