import type { Schemas } from '@aftersales/api-client';
import { StaffPatch } from '@aftersales/domain';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Versioned } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Facts, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { changeStaffStatus, getStaff, type StatusAction, updateStaff } from './api.ts';
import { FIELD_ORDER, formOf, StaffFields, type StaffForm, shiftsOf } from './StaffFields.tsx';

type Staff = Schemas['Staff'];

/** One person: their details for everyone who reads staff; roles, level, skills, shifts and status for the manager. */
export function StaffMemberPage({ staffId }: { staffId: string }) {
  const { t, m } = useI18n();
  const { api, can, href } = useStore();
  const manage = can('staff:manage');
  const loaded = useLoad(useCallback(() => getStaff(api, staffId), [api, staffId]));
  const [current, setCurrent] = useState<Versioned<Staff> | undefined>();
  const [form, setForm] = useState<StaffForm | undefined>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [statusFailure, setStatusFailure] = useState<unknown>(null);
  const errors = useFormErrors();

  useEffect(() => {
    if (!loaded.data) return;
    setCurrent(loaded.data);
    setForm(formOf(loaded.data.data));
  }, [loaded.data]);

  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />;
  if (!current || !form) return <Loading />;
  const s = current.data;

  const save = async () => {
    if (busy) return;
    const parsed = StaffPatch.safeParse({
      roles: form.roles,
      level: form.level === '' ? null : form.level,
      skills: form.skills,
      shifts: shiftsOf(form),
    });
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      const next = await updateStaff(api, staffId, parsed.data, current.etag);
      setCurrent(next);
      setForm(formOf(next.data));
      setSaved(true);
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const status = async (action: StatusAction) => {
    setStatusFailure(null);
    try {
      const next = await changeStaffStatus(api, staffId, action, current.etag);
      setCurrent(next);
      setForm(formOf(next.data));
    } catch (err) {
      setStatusFailure(err);
    }
  };

  return (
    <div class="page">
      <PageHeader title={s.displayName} />
      <p>
        <Link href={href('staff')}>{t('staff.back')}</Link>
      </p>
      <Section title={t('staff.title')}>
        <Facts
          items={[
            [t('staff.username'), s.username],
            [t('staff.email'), s.email],
            [t('staff.phone'), s.phone ?? ''],
            [t('staff.roles'), s.roles.map((r) => m.roles[r]).join(' · ')],
            [t('staff.level'), s.level ? m.techLevels[s.level] : t('staff.noLevel')],
            [t('staff.skills'), s.skills.map((k) => m.skills[k]).join(' · ')],
            [t('staff.status'), m.statuses[s.status]],
          ]}
        />
        {manage && s.status !== 'removed' && (
          <div class="form-actions">
            {statusFailure !== null && <ErrorNotice error={statusFailure} />}
            {s.status === 'active' ? (
              <button type="button" class="btn" onClick={() => void status('disable')}>
                {t('staff.disable')}
              </button>
            ) : (
              <button type="button" class="btn" onClick={() => void status('enable')}>
                {t('staff.enable')}
              </button>
            )}
            <button type="button" class="btn btn-quiet" onClick={() => void status('remove')}>
              {t('staff.remove')}
            </button>
          </div>
        )}
      </Section>
      {manage && s.status !== 'removed' && (
        <Section title={t('staff.save')}>
          {saved && <Notice kind="success">{t('staff.saved')}</Notice>}
          <ValidatedForm errors={errors} order={FIELD_ORDER} onSubmit={save}>
            <StaffFields
              form={form}
              onForm={(f) => {
                setSaved(false);
                setForm(f);
              }}
            />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t('form.saving') : t('staff.save')}
              </button>
            </div>
          </ValidatedForm>
        </Section>
      )}
    </div>
  );
}
