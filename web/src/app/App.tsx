import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { HttpClient } from '../api/client.ts';
import { forgetToken, storedToken } from '../auth/auth.ts';
import { SignInPage } from '../auth/SignInPage.tsx';
import { Loading } from '../components/ui.tsx';
import { type AppConfig, loadConfig } from '../config.ts';
import { I18nProvider, useI18n } from '../i18n/index.tsx';
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

/** Loads /config.json, then shows the sign-in page or the signed-in app. */
function Boot() {
  const { t } = useI18n();
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [failed, setFailed] = useState(false);
  const [token, setToken] = useState<string | null>(() => storedToken());
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    loadConfig().then(setConfig, () => setFailed(true));
  }, []);

  const signOut = useCallback((why?: 'expired') => {
    forgetToken();
    setToken(null);
    setExpired(why === 'expired');
  }, []);

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
  if (!config || !http) return <Loading />;
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
  return <SignedIn key={token} http={http} signOut={() => signOut()} />;
}
