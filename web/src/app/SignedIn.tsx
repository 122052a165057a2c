import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { HttpClient } from '../api/client.ts';
import { StoreClient } from '../api/store.ts';
import { MfaEnrolment } from '../auth/MfaEnrolment.tsx';
import { ErrorNotice, Loading, Notice, NoticeHeading } from '../components/ui.tsx';
import type { AuthConfig } from '../config.ts';
import { hqGroups, hqHref } from '../hq/HqHome.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getMe, getStoreProfile } from './api.ts';
import { Link, matchPath, navigate, useLocation } from './router.tsx';
import { appRoute, permissionFor, storeRoute } from './routes.tsx';
import { Shell } from './Shell.tsx';
import {
  type Me,
  type Session,
  SessionContext,
  StoreContext,
  type StoreProfile,
  storeScope,
  useSession,
  useStore,
} from './session.tsx';

const STORE_KEY = 'aftersales.store';

function rememberedStore(me: Me): string | undefined {
  let id: string | null = null;
  try {
    id = localStorage.getItem(STORE_KEY);
  } catch {
    // storage unavailable
  }
  return me.stores.find((s) => s.id === id)?.id ?? me.stores[0]?.id;
}

/**
 * Loads who the user is, then routes within the store named by the URL (`/s/:storeId/…`). A user whose
 * role requires MFA and who has not enrolled sets up an authenticator first: the API refuses them
 * everything else (MFA_ENROLMENT_REQUIRED).
 */
export function SignedIn({
  auth,
  http,
  signOut,
}: {
  auth: AuthConfig;
  http: HttpClient;
  signOut: () => void;
}) {
  const { suggestLocale, t } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(null);
    getMe(http).then(
      (m) => {
        suggestLocale(m.user.locale);
        setMe(m);
      },
      (e: unknown) => setError(e),
    );
  }, [http, attempt, suggestLocale]);

  const session = useMemo<Session | null>(() => (me ? { me, http, signOut } : null), [me, http, signOut]);
  const enrolled = useCallback(() => setMe((m) => (m ? { ...m, mfaEnrolled: true } : m)), []);

  if (error) {
    return (
      <main class="center-page">
        <ErrorNotice error={error} onRetry={() => setAttempt((n) => n + 1)} />
        <button type="button" class="btn" onClick={signOut}>
          {t('nav.signOut')}
        </button>
      </main>
    );
  }
  if (!session) return <Loading />;
  if (session.me.mfaRequired && !session.me.mfaEnrolled)
    return <MfaEnrolment auth={auth} http={http} username={session.me.user.username} onEnrolled={enrolled} />;
  return (
    <SessionContext.Provider value={session}>
      <AppRoutes />
    </SessionContext.Provider>
  );
}

/** Pages outside any store (a group's HQ home, where HQ users land); everything else is inside a store. */
function AppRoutes() {
  const { path } = useLocation();
  const { me } = useSession();
  const outside = appRoute(path);
  const home = path === '/' ? hqGroups(me.memberships)[0]?.tenantId : undefined;
  useEffect(() => {
    if (home) navigate(hqHref(home), { replace: true });
  }, [home]);
  if (home) return <Loading />;
  if (outside) return <Shell>{outside.route.render(outside.params)}</Shell>;
  return <StoreRoutes />;
}

function StoreRoutes() {
  const { path } = useLocation();
  const { t } = useI18n();
  const { me, http } = useSession();
  const storeParam = matchPath('/s/:storeId', path.split('/').slice(0, 3).join('/'))?.storeId;
  const store = me.stores.find((s) => s.id === storeParam);
  const apis = useMemo(() => new Map<string, StoreClient>(), []);
  const api = useMemo(() => {
    if (!store) return undefined;
    let a = apis.get(store.id);
    if (!a) {
      a = new StoreClient(http, store.id);
      apis.set(store.id, a);
    }
    return a;
  }, [store, apis, http]);
  const [profile, setProfile] = useState<StoreProfile | undefined>(undefined);
  const { setTimeZone } = useI18n();

  useEffect(() => {
    setProfile(undefined);
    if (!api) return;
    try {
      localStorage.setItem(STORE_KEY, api.storeId);
    } catch {
      // storage unavailable
    }
    let live = true;
    getStoreProfile(api).then(
      (p) => {
        if (!live) return;
        setProfile(p);
        setTimeZone(p.store.timeZone);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, setTimeZone]);

  const fallback = rememberedStore(me);
  useEffect(() => {
    if (!storeParam && fallback) navigate(`/s/${encodeURIComponent(fallback)}`, { replace: true });
  }, [storeParam, fallback]);

  if (me.stores.length === 0) {
    return (
      <Shell>
        <Notice kind="warning">
          <NoticeHeading>{t('session.noStores')}</NoticeHeading>
        </Notice>
      </Shell>
    );
  }
  if (!store || !api) {
    if (!storeParam) return <Loading />;
    return (
      <Shell>
        <Notice kind="warning">
          <NoticeHeading>{t('session.storeNotAccessible')}</NoticeHeading>
        </Notice>
        {fallback && (
          <Link class="btn" href={`/s/${encodeURIComponent(fallback)}`}>
            {t('nav.frontDesk')}
          </Link>
        )}
      </Shell>
    );
  }
  const scope = storeScope(store, profile?.store.id === store.id ? profile : undefined, api, permissionFor);
  const sub = path.split('/').slice(3).join('/');
  return (
    <StoreContext.Provider value={scope}>
      <Shell>
        <Page sub={sub} />
      </Shell>
    </StoreContext.Provider>
  );
}

/** The page for the path, if this user's roles allow it (the route table says what each page needs). */
function Page({ sub }: { sub: string }) {
  const { t, m } = useI18n();
  const { store, can, href } = useStore();
  const found = storeRoute(sub);
  if (!found) {
    return (
      <Notice kind="warning">
        <NoticeHeading>{t('error.pageNotFound')}</NoticeHeading>
      </Notice>
    );
  }
  if (!can(found.route.permission)) {
    return (
      <div class="page">
        <Notice kind="warning">
          <NoticeHeading>
            {t('session.notAllowed', { roles: store.roles.map((r) => m.roles[r]).join(' · ') })}
          </NoticeHeading>
          <Link class="btn btn-small" href={href()}>
            {t('nav.frontDesk')}
          </Link>
        </Notice>
      </div>
    );
  }
  return found.route.render(found.params);
}
