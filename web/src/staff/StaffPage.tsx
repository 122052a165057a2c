import type { Schemas } from '@aftersales/api-client';
import { StaffInput } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { fieldBinder } from '../components/FormField.tsx';
import { TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Notice, PageHeader, Section } from '../components/ui.tsx';
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
  const staff = usePagedList<Staff>(
    useCallback((cursor?: string) => listStaff(api, { limit: 50, ...(cursor ? { cursor } : {}) }), [api]),
  );
  const errors = useFormErrors();
  const [who, setWho] = useState<Identity>(NO_IDENTITY);
  const [form, setForm] = useState<StaffForm>(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const [invited, setInvited] = useState<{ name: string; password?: string } | undefined>();
  const idempotencyKey = useIdempotencyKey();

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
      staff.refresh();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const bind = fieldBinder(who, (key, value) => setWho((w) => ({ ...w, [key]: value })));

  return (
    <div class="page">
      <PageHeader title={t('staff.title')} />
      {!manage && <Notice kind="info">{t('staff.readOnly')}</Notice>}
      <Section title={t('nav.staff')}>
        <ListTable
          {...staff}
          columns={[
            {
              label: t('staff.name'),
              cell: (s) => <Link href={href(`staff/${encodeURIComponent(s.id)}`)}>{s.displayName}</Link>,
            },
            { label: t('staff.username'), cell: (s) => s.username },
            { label: t('staff.roles'), cell: (s) => s.roles.map((r) => m.roles[r]).join(' · ') },
            { label: t('staff.level'), cell: (s) => (s.level ? m.techLevels[s.level] : '') },
            { label: t('staff.phone'), cell: (s) => s.phone ?? '' },
            { label: t('staff.status'), cell: (s) => m.statuses[s.status] },
          ]}
          rowKey={(s) => s.id}
          empty={t('staff.none')}
        />
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
                {...bind('username')}
                autoComplete="off"
                required
                maxLength={40}
              />
              <TextField label={t('staff.name')} {...bind('displayName')} required maxLength={60} />
              <TextField label={t('staff.email')} type="email" {...bind('email')} required />
              <TextField label={t('staff.phone')} type="tel" {...bind('phone')} />
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
