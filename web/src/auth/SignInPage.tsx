import type { AuthenticationResult } from '@aftersales/domain';
import { useState } from 'preact/hooks';
import { TextField } from '../components/forms.tsx';
import { Notice } from '../components/ui.tsx';
import type { AuthConfig } from '../config.ts';
import { useI18n } from '../i18n/index.tsx';
import { AuthCard, CodeField, TotpKey } from './AuthCard.tsx';
import {
  answerChallenge,
  associateTotp,
  type Challenge,
  keepTokens,
  SignInError,
  type SignInFailure,
  type SignInStep,
  signInWithPassword,
  verifyTotp,
} from './auth.ts';

/** Where the visitor is in signing in: the password, then whatever challenges the identity provider sets. */
type Stage =
  | { kind: 'password' }
  | { kind: 'new-password'; challenge: Challenge }
  | { kind: 'code'; challenge: Challenge }
  | { kind: 'setup'; challenge: Challenge; secret: string };

/**
 * Sign-in as Cognito means it: the password, then NEW_PASSWORD_REQUIRED (an invited user's first
 * sign-in), SOFTWARE_TOKEN_MFA (the authenticator's code) or MFA_SETUP (a user who must use TOTP and has
 * none yet: the key and QR code, then the first code), in whichever order the identity provider asks.
 */
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
  const [stage, setStage] = useState<Stage>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const messageFor = (reason: SignInFailure): string =>
    ({
      credentials: t('signin.failed'),
      code: t('signin.code.wrong'),
      password: t('signin.newPassword.refused'),
      expired: t('signin.challengeExpired'),
      network: t('signin.network'),
      service: t('signin.service'),
    })[reason];

  const advance = async (next: SignInStep): Promise<void> => {
    setCode('');
    if (next.kind === 'signed-in') return finish(next.tokens);
    const { challenge } = next;
    if (challenge.name === 'NEW_PASSWORD_REQUIRED') setStage({ kind: 'new-password', challenge });
    else if (challenge.name === 'SOFTWARE_TOKEN_MFA') setStage({ kind: 'code', challenge });
    else {
      const { SecretCode, Session } = await associateTotp(auth, { Session: challenge.session });
      setStage({
        kind: 'setup',
        challenge: { ...challenge, session: Session ?? challenge.session },
        secret: SecretCode,
      });
    }
  };
  const finish = (tokens: AuthenticationResult) => {
    keepTokens(tokens);
    onSignedIn(tokens.AccessToken);
  };

  /** Runs one step; a failure shows its message (an expired challenge starts over from the password). */
  const run = async (e: Event, check: () => string | null, action: () => Promise<void>) => {
    e.preventDefault();
    if (busy) return;
    const problem = check();
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      const reason = err instanceof SignInError ? err.reason : 'service';
      if (reason === 'expired') setStage({ kind: 'password' });
      setError(messageFor(reason));
    } finally {
      setBusy(false);
    }
  };
  const codeCheck = () => (/^\d{6}$/.test(code) ? null : t('signin.code.missing'));
  const startOver = () => {
    setStage({ kind: 'password' });
    setPassword('');
    setError(null);
  };
  const footer = (label: string) => (
    <>
      <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('signin.busy') : label}
      </button>
      {stage.kind !== 'password' && (
        <button type="button" class="btn btn-quiet btn-block" onClick={startOver}>
          {t('signin.startOver')}
        </button>
      )}
    </>
  );
  const notices = (
    <>
      {expired && stage.kind === 'password' && <Notice kind="warning">{t('signin.expired')}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
    </>
  );

  if (stage.kind === 'new-password') {
    const { challenge } = stage;
    return (
      <AuthCard
        title={t('signin.newPassword.title')}
        onSubmit={(e) =>
          run(
            e,
            () => (newPassword !== repeat ? t('signin.newPassword.mismatch') : null),
            async () => advance(await answerChallenge(auth, challenge, { NEW_PASSWORD: newPassword })),
          )
        }
      >
        <p>{t('signin.newPassword.intro')}</p>
        {notices}
        <input type="hidden" name="username" autoComplete="username" value={challenge.username} />
        <TextField
          label={t('signin.newPassword.label')}
          type="password"
          value={newPassword}
          onValue={setNewPassword}
          autoComplete="new-password"
          hint={t('signin.newPassword.rules')}
          required
        />
        <TextField
          label={t('signin.newPassword.repeat')}
          type="password"
          value={repeat}
          onValue={setRepeat}
          autoComplete="new-password"
          required
        />
        {footer(t('signin.newPassword.submit'))}
      </AuthCard>
    );
  }

  if (stage.kind === 'code') {
    const { challenge } = stage;
    return (
      <AuthCard
        title={t('signin.code.title')}
        onSubmit={(e) =>
          run(e, codeCheck, async () =>
            advance(await answerChallenge(auth, challenge, { SOFTWARE_TOKEN_MFA_CODE: code })),
          )
        }
      >
        <p>{t('signin.code.intro')}</p>
        {notices}
        <CodeField value={code} onValue={setCode} />
        {footer(t('signin.code.submit'))}
      </AuthCard>
    );
  }

  if (stage.kind === 'setup') {
    const { challenge, secret } = stage;
    return (
      <AuthCard
        title={t('mfa.title')}
        onSubmit={(e) =>
          run(e, codeCheck, async () => {
            const verified = await verifyTotp(auth, { Session: challenge.session }, code);
            const session = verified.Session ?? challenge.session;
            await advance(await answerChallenge(auth, { ...challenge, session }, {}));
          })
        }
      >
        <p>{t('mfa.intro')}</p>
        {notices}
        <TotpKey secret={secret} username={challenge.username} />
        <CodeField value={code} onValue={setCode} />
        {footer(t('mfa.submit'))}
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={t('signin.title')}
      onSubmit={(e) =>
        run(
          e,
          () => (!username.trim() || !password ? t('signin.missing') : null),
          async () => advance(await signInWithPassword(auth, username.trim(), password)),
        )
      }
    >
      {notices}
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
      {footer(t('signin.submit'))}
      {auth.region === 'local' && <p class="hint dev-hint">{t('signin.devHint')}</p>}
    </AuthCard>
  );
}
