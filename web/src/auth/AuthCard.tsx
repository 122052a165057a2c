import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { TextField } from '../components/forms.tsx';
import { LanguageSwitch, useI18n } from '../i18n/index.tsx';
import { otpauthUri } from './auth.ts';

/** The frame of every sign-in screen: language choice, the brand, a heading and one form. */
export function AuthCard({
  title,
  onSubmit,
  children,
}: {
  title: string;
  onSubmit: (e: Event) => void;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <main class="signin-page">
      <div class="signin-top">
        <LanguageSwitch />
      </div>
      <form class="card signin-card" onSubmit={onSubmit} noValidate>
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true">
            售
          </span>
          <span>
            <strong>{t('app.name')}</strong>
            <small>{t('signin.subtitle')}</small>
          </span>
        </div>
        <h1>{title}</h1>
        {children}
      </form>
    </main>
  );
}

/** The one-time code input: digits only, and the browser may fill it from an SMS or a password manager. */
export function CodeField({ value, onValue }: { value: string; onValue: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <TextField
      label={t('signin.code.label')}
      value={value}
      onValue={(v) => onValue(v.replace(/\D/g, '').slice(0, 6))}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      class="code-field"
      required
    />
  );
}

/** What an authenticator app needs: the QR code of the `otpauth://` URI, and the key to type in instead. */
export function TotpKey({ secret, username }: { secret: string; username: string }) {
  const { t } = useI18n();
  const [svg] = useState(() => renderSVG(otpauthUri(secret, username), { border: 2 }));
  return (
    <div class="totp-key">
      <img
        src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
        alt={t('mfa.qrAlt')}
        width={180}
        height={180}
      />
      <p>
        <span class="label-text">{t('mfa.key')}</span>
        <code>{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
    </div>
  );
}
