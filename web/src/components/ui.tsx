import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { useI18n } from '../i18n/index.tsx';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('app.loading')}
    </p>
  );
}

type NoticeKind = 'error' | 'warning' | 'info' | 'success';

/**
 * The text of a notice that is a whole screen ("not allowed", "no such page"): the screen's main
 * heading, so that a screen reader's list of headings names it, and looking like the notice's text.
 */
export function NoticeHeading({ children }: { children: ComponentChildren }) {
  return <h1 class="notice-heading">{children}</h1>;
}

export function Notice({ kind = 'info', children }: { kind?: NoticeKind; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/**
 * What went wrong, in the user's language: by the problem's code where it is known, else by its
 * status. The server's `detail` is English and is never shown.
 */
export function useErrorText(): (err: unknown) => string {
  const { m, t } = useI18n();
  return (err: unknown) => {
    if (err instanceof ApiError) {
      const known = (m.errorCodes as Record<string, string>)[err.code];
      if (known) return known;
      if (err.status === 404) return t('error.notFound');
      if (err.status === 403) return m.errorCodes.FORBIDDEN;
      if (err.status === 409 || err.status === 412 || err.status === 428) return t('error.conflict');
      if (err.status >= 500) return m.errorCodes.INTERNAL;
      if (err.status >= 400) return t('error.refused');
    }
    return t('error.unexpected');
  };
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const text = useErrorText();
  return (
    <Notice kind="error">
      <span>{text(error)}</span>
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          {t('action.retry')}
        </button>
      )}
    </Notice>
  );
}

export function PageHeader({
  title,
  subtitle,
  back,
  actions,
}: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  back?: { href: string; label: string };
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      {back && (
        <Link class="back-link" href={back.href}>
          ← {back.label}
        </Link>
      )}
      <div class="page-header-row">
        <div>
          <h1>{title}</h1>
          {subtitle && <p class="subtitle">{subtitle}</p>}
        </div>
        {actions && <div class="actions">{actions}</div>}
      </div>
    </header>
  );
}

export function Section({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section class="card">
      <div class="card-head">
        <h2>{title}</h2>
        {actions && <div class="actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** A definition list of label/value pairs; empty values show a dash. */
export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items.map(([label, value]) => (
        <div key={label} class="fact">
          <dt>{label}</dt>
          <dd>{value === undefined || value === null || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface TabDef {
  id: string;
  label: string;
}

export function Tabs({
  tabs,
  active,
  onChange,
}: {
  tabs: TabDef[];
  active: string;
  onChange: (id: string) => void;
}) {
  return (
    <div class="tabs" role="tablist">
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === active}
          class={tab.id === active ? 'tab active' : 'tab'}
          onClick={() => onChange(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

/** A modal dialog (native <dialog>: focus trapping and Escape come with it). */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2>{title}</h2>
        <button type="button" class="btn btn-quiet" onClick={onClose}>
          {t('action.close')}
        </button>
      </div>
      {children}
    </dialog>
  );
}

export function Badge({
  kind = 'neutral',
  children,
}: {
  kind?: 'neutral' | 'info' | 'warning' | 'success' | 'danger';
  children: ComponentChildren;
}) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

/** A plate as it looks on the car: blue for fuel cars, green for new-energy plates (8 characters). */
export function Plate({ plate }: { plate: string | undefined }) {
  const { t } = useI18n();
  if (!plate) return <span class="plate plate-none">{t('vehicle.noPlate')}</span>;
  const green = /^[\u4e00-\u9fff][A-Z][A-Z0-9]{6}$/.test(plate);
  return <span class={green ? 'plate plate-green' : 'plate'}>{plate}</span>;
}

/** VIN with its last six (what staff read out) emphasised. */
export function Vin({ vin }: { vin: string }) {
  return (
    <span class="vin">
      {vin.slice(0, -6)}
      <strong>{vin.slice(-6)}</strong>
    </span>
  );
}
