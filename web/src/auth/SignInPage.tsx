import { useState } from 'preact/hooks';
import { TextField } from '../components/forms.tsx';
import { Notice } from '../components/ui.tsx';
import type { AuthConfig } from '../config.ts';
import { LanguageSwitch, useI18n } from '../i18n/index.tsx';
import { keepToken, requestToken, SignInError } from './auth.ts';

export function SignInPage({
  auth,
  expired,
  onSignedIn,
}: {
  auth: AuthConfig;
  expired: boolean;
  onSignedIn: (token: string) => void;
}) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError(t('signin.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const token = await requestToken(auth, username.trim(), password);
      keepToken(token);
      onSignedIn(token);
    } catch (err) {
      const reason = err instanceof SignInError ? err.reason : 'service';
      setError(
        reason === 'credentials'
          ? t('signin.failed')
          : reason === 'challenge'
            ? t('signin.challenge')
            : reason === 'network'
              ? t('signin.network')
              : t('signin.service'),
      );
      setBusy(false);
    }
  };

  return (
    <main class="signin-page">
      <div class="signin-top">
        <LanguageSwitch />
      </div>
      <form class="card signin-card" onSubmit={submit} noValidate>
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true">
            售
          </span>
          <span>
            <strong>{t('app.name')}</strong>
            <small>{t('signin.subtitle')}</small>
          </span>
        </div>
        <h1>{t('signin.title')}</h1>
        {expired && <Notice kind="warning">{t('signin.expired')}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        <TextField
          label={t('signin.username')}
          value={username}
          onValue={setUsername}
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          required
        />
        <TextField
          label={t('signin.password')}
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
        />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
        {auth.mode === 'dev' && <p class="hint dev-hint">{t('signin.devHint')}</p>}
      </form>
    </main>
  );
}
