import { useEffect, useState } from 'preact/hooks';
import { ApiError, type HttpClient } from '../api/client.ts';
import { Loading, Notice } from '../components/ui.tsx';
import type { AuthConfig } from '../config.ts';
import { useI18n } from '../i18n/index.tsx';
import { AuthCard, CodeField, TotpKey } from './AuthCard.tsx';
import { associateTotp, enableTotp, SignInError, storedToken, verifyTotp } from './auth.ts';

/** Asks the API to confirm the user's authenticator with the identity provider and record it. */
function confirmMfa(http: HttpClient) {
  return http.data(http.api.POST('/v1/session/mfa'));
}

/**
 * A signed-in user whose role requires MFA and who has not enrolled (the API answers
 * MFA_ENROLMENT_REQUIRED): set up TOTP with the access token (AssociateSoftwareToken →
 * VerifySoftwareToken → SetUserMFAPreference), then `POST /v1/session/mfa`. An authenticator already
 * set up at the identity provider (an MFA_SETUP challenge at sign-in) is only confirmed.
 */
export function MfaEnrolment({
  auth,
  http,
  username,
  onEnrolled,
}: {
  auth: AuthConfig;
  http: HttpClient;
  username: string;
  onEnrolled: () => void;
}) {
  const { t } = useI18n();
  const [secret, setSecret] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  // A message key, not its text: switching the language must not start the set-up again (a new key).
  const [error, setError] = useState<'mfa.failed' | 'signin.code.wrong' | 'signin.code.missing' | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    (async () => {
      try {
        await confirmMfa(http);
        if (live) onEnrolled();
        return;
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'MFA_NOT_SET_UP')) throw e;
      }
      const { SecretCode } = await associateTotp(auth, { AccessToken: storedToken() ?? '' });
      if (live) setSecret(SecretCode);
    })().catch(() => live && setError('mfa.failed'));
    return () => {
      live = false;
    };
  }, [auth, http, onEnrolled, attempt]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!/^\d{6}$/.test(code)) {
      setError('signin.code.missing');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const accessToken = storedToken() ?? '';
      await verifyTotp(auth, { AccessToken: accessToken }, code);
      await enableTotp(auth, accessToken);
      await confirmMfa(http);
      onEnrolled();
    } catch (err) {
      setCode('');
      setError(err instanceof SignInError && err.reason === 'code' ? 'signin.code.wrong' : 'mfa.failed');
    } finally {
      setBusy(false);
    }
  };

  if (!secret) {
    return (
      <AuthCard title={t('mfa.title')} onSubmit={(e) => e.preventDefault()}>
        {error ? (
          <>
            <Notice kind="error">{t(error)}</Notice>
            <button type="button" class="btn btn-block" onClick={() => setAttempt((n) => n + 1)}>
              {t('mfa.retry')}
            </button>
          </>
        ) : (
          <Loading label={t('mfa.preparing')} />
        )}
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('mfa.title')} onSubmit={submit}>
      <p>{t('mfa.intro')}</p>
      {error && <Notice kind="error">{t(error)}</Notice>}
      <TotpKey secret={secret} username={username} />
      <CodeField value={code} onValue={setCode} />
      <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('signin.busy') : t('mfa.submit')}
      </button>
    </AuthCard>
  );
}
