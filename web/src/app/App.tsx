import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { HttpClient } from '../api/client.ts';
import {
  expiresAt,
  forgetTokens,
  keepTokens,
  refreshTokens,
  revokeRefreshToken,
  storedRefreshToken,
  storedToken,
} from '../auth/auth.ts';
import { SignInPage } from '../auth/SignInPage.tsx';
import { Loading } from '../components/ui.tsx';
import { type AppConfig, loadConfig } from '../config.ts';
import { I18nProvider, useI18n } from '../i18n/index.tsx';
import { endServerSession } from './api.ts';
import { DICTIONARIES } from './messages.ts';
import { navigate } from './router.tsx';
import { SignedIn } from './SignedIn.tsx';

export function App() {
  return (
    <I18nProvider dictionaries={DICTIONARIES}>
      <Boot />
    </I18nProvider>
  );
}

/** How long before the access token expires it is refreshed (REFRESH_TOKEN_AUTH). */
const REFRESH_AHEAD_MS = 5 * 60_000;

/** Loads /config.json, then shows the sign-in page or the signed-in app. */
function Boot() {
  const { t } = useI18n();
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [failed, setFailed] = useState(false);
  const [token, setToken] = useState<string | null>(() => storedToken());
  // A tab whose access token ran out while it slept still has its refresh token: no sign-in needed.
  const [resuming, setResuming] = useState(() => !storedToken() && storedRefreshToken() !== null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    loadConfig().then(setConfig, () => setFailed(true));
  }, []);

  useEffect(() => {
    const refresh = storedRefreshToken();
    if (!config || !resuming || !refresh) return;
    refreshTokens(config.auth, refresh)
      .then(
        (tokens) => {
          keepTokens(tokens);
          setToken(tokens.AccessToken);
        },
        () => forgetTokens(),
      )
      .finally(() => setResuming(false));
  }, [config, resuming]);

  // While the app is open, the access token is renewed before it expires; the HTTP client reads the
  // kept token on every call, so the signed-in screens carry on undisturbed.
  useEffect(() => {
    if (!config || !token) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (accessToken: string) => {
      const exp = expiresAt(accessToken);
      if (exp === undefined) return;
      timer = setTimeout(
        async () => {
          const refresh = storedRefreshToken();
          if (!refresh) return;
          try {
            const tokens = await refreshTokens(config.auth, refresh);
            keepTokens(tokens);
            schedule(tokens.AccessToken);
          } catch {
            // The next API call's 401 ends the session.
          }
        },
        Math.max(0, exp * 1000 - Date.now() - REFRESH_AHEAD_MS),
      );
    };
    schedule(token);
    return () => clearTimeout(timer);
  }, [config, token]);

  /**
   * Forgets both tokens at once (sign-out is immediate and survives the page being left at once), then
   * revokes the refresh token at the identity provider — which ends the access tokens it issued there —
   * and ends the API's session. Both calls are best effort and `keepalive`, so they outlive the page.
   */
  const signOut = useCallback(
    (why?: 'expired') => {
      const access = storedToken();
      const refresh = storedRefreshToken();
      forgetTokens();
      setToken(null);
      setExpired(why === 'expired');
      if (!config) return;
      void (async () => {
        if (refresh) await revokeRefreshToken(config.auth, refresh).catch(() => undefined);
        if (access && why !== 'expired')
          await endServerSession(config.apiBase, access).catch(() => undefined);
      })();
    },
    [config],
  );

  const http = useMemo(
    () => (config ? new HttpClient(config.apiBase, storedToken, () => signOut('expired')) : null),
    [config, signOut],
  );

  if (failed) {
    return (
      <main class="center-page">
        <p class="notice notice-error" role="alert">
          {t('app.configFailed')}
        </p>
      </main>
    );
  }
  if (!config || !http || resuming) return <Loading />;
  if (!token) {
    return (
      <SignInPage
        auth={config.auth}
        expired={expired}
        onSignedIn={(tok) => {
          setExpired(false);
          setToken(tok);
          if (location.pathname === '/signin') navigate('/', { replace: true });
        }}
      />
    );
  }
  return <SignedIn key={token} auth={config.auth} http={http} signOut={() => signOut()} />;
}
