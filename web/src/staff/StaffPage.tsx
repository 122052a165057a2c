import type { Schemas } from '@aftersales/api-client';
import { StaffInput } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { optional, schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { inviteStaff, listStaff } from './api.ts';
import { EMPTY_FORM, FIELD_ORDER, StaffFields, type StaffForm, shiftsOf } from './StaffFields.tsx';

type Staff = Schemas['Staff'];

interface Identity {
  username: string;
  displayName: string;
  email: string;
  phone: string;
}
const NO_IDENTITY: Identity = { username: '', displayName: '', email: '', phone: '' };

/** 人员: the store's people by username (one Query a page); the manager adds people with an invitation. */
export function StaffPage() {
  const { t, m } = useI18n();
  const { api, can, href } = useStore();
  const manage = can('staff:manage');
  const [pages, setPages] = useState<Staff[][]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const loaded = useLoad(useCallback(() => listStaff(api, { limit: 50 }), [api]));
  const errors = useFormErrors();
  const [who, setWho] = useState<Identity>(NO_IDENTITY);
  const [form, setForm] = useState<StaffForm>(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const [invited, setInvited] = useState<{ name: string; password?: string } | undefined>();
  const idempotencyKey = useIdempotencyKey();

  const first = loaded.data;
  const next = cursor ?? first?.nextCursor;
  const people = [...(first?.items ?? []), ...pages.flat()];
  const more = async () => {
    if (!next) return;
    const page = await listStaff(api, { limit: 50, cursor: next });
    setPages((p) => [...p, page.items]);
    setCursor(page.nextCursor ?? '');
  };

  const submit = async () => {
    if (busy) return;
    const phone = optional(who.phone);
    const parsed = StaffInput.safeParse({
      username: who.username.trim(),
      displayName: who.displayName,
      email: who.email.trim(),
      ...(phone ? { phone } : {}),
      roles: form.roles,
      ...(form.level ? { level: form.level } : {}),
      skills: form.skills,
      shifts: shiftsOf(form),
    });
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      const created = await inviteStaff(api, parsed.data, idempotencyKey(parsed.data));
      setInvited({
        name: created.data.displayName,
        ...(created.data.temporaryPassword ? { password: created.data.temporaryPassword } : {}),
      });
      setWho(NO_IDENTITY);
      setForm(EMPTY_FORM);
      setPages([]);
      setCursor(undefined);
      void loaded.reload();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const set = <K extends keyof Identity>(key: K, value: string) => setWho((w) => ({ ...w, [key]: value }));

  return (
    <div class="page">
      <PageHeader title={t('staff.title')} />
      {!manage && <Notice kind="info">{t('staff.readOnly')}</Notice>}
      <Section title={t('nav.staff')}>
        {loaded.error ? (
          <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />
        ) : !first ? (
          <Loading />
        ) : people.length === 0 ? (
          <p class="muted">{t('staff.none')}</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('staff.name')}</th>
                <th scope="col">{t('staff.username')}</th>
                <th scope="col">{t('staff.roles')}</th>
                <th scope="col">{t('staff.level')}</th>
                <th scope="col">{t('staff.phone')}</th>
                <th scope="col">{t('staff.status')}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link href={href(`staff/${encodeURIComponent(s.id)}`)}>{s.displayName}</Link>
                  </td>
                  <td>{s.username}</td>
                  <td>{s.roles.map((r) => m.roles[r]).join(' · ')}</td>
                  <td>{s.level ? m.techLevels[s.level] : ''}</td>
                  <td>{s.phone ?? ''}</td>
                  <td>{m.statuses[s.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {next && (
          <button type="button" class="btn" onClick={() => void more()}>
            {t('action.loadMore')}
          </button>
        )}
      </Section>
      {manage && (
        <Section title={t('staff.invite')}>
          {invited && (
            <Notice kind="success">
              {t('staff.invited', { name: invited.name })}
              {invited.password && <p>{t('staff.temporaryPassword', { password: invited.password })}</p>}
            </Notice>
          )}
          <ValidatedForm
            errors={errors}
            order={['username', 'displayName', 'email', 'phone', ...FIELD_ORDER]}
            onSubmit={submit}
          >
            <div class="grid-2">
              <TextField
                label={t('staff.username')}
                value={who.username}
                onValue={(v) => set('username', v)}
                field="username"
                autoComplete="off"
                required
                maxLength={40}
              />
              <TextField
                label={t('staff.name')}
                value={who.displayName}
                onValue={(v) => set('displayName', v)}
                field="displayName"
                required
                maxLength={60}
              />
              <TextField
                label={t('staff.email')}
                type="email"
                value={who.email}
                onValue={(v) => set('email', v)}
                field="email"
                required
              />
              <TextField
                label={t('staff.phone')}
                type="tel"
                value={who.phone}
                onValue={(v) => set('phone', v)}
                field="phone"
              />
            </div>
            <StaffFields form={form} onForm={setForm} />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t('form.saving') : t('staff.inviteButton')}
              </button>
            </div>
          </ValidatedForm>
        </Section>
      )}
    </div>
  );
}
