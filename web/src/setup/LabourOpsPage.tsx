import type { Schemas } from '@aftersales/api-client';
import { BayType, LabourOpInput, Skill, SkillLevel } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { fieldBinder, optionsOf } from '../components/FormField.tsx';
import { SelectField, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { ErrorNotice, PageHeader, Section } from '../components/ui.tsx';
import { optional, schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { createLabourOp, listLabourOps, updateLabourOp } from './api.ts';
import { RowList } from './RowList.tsx';

type LabourOp = Schemas['LabourOp'];

/** A model whose hours differ from the standard, as typed. */
interface ModelHoursRow {
  model: string;
  hours: string;
}

interface FormState {
  code: string;
  zh: string;
  en: string;
  hours: string;
  skill: Skill;
  level: SkillLevel;
  bayType: BayType;
  modelHours: ModelHoursRow[];
}

const EMPTY: FormState = {
  code: '',
  zh: '',
  en: '',
  hours: '',
  skill: 'general',
  level: 'junior',
  bayType: 'general',
  modelHours: [],
};

/** Typed hours → number; empty is NaN, which the schema refuses with the field's own message. */
const hoursOf = (typed: string) => (typed.trim() === '' ? Number.NaN : Number(typed));

function toInput(f: FormState): LabourOpInput {
  const en = optional(f.en);
  return {
    code: f.code.trim(),
    name: { zh: f.zh, ...(en ? { en } : {}) },
    hours: hoursOf(f.hours),
    modelHours: f.modelHours.map((r) => ({ model: r.model.trim(), hours: hoursOf(r.hours) })),
    skill: f.skill,
    level: f.level,
    bayType: f.bayType,
  };
}

/** 工时目录: the catalogue by code (one Query a page); managers and the technical director add and deactivate. */
export function LabourOpsPage() {
  const { t, m, locale } = useI18n();
  const { api, can, href } = useStore();
  const manage = can('catalogue:manage');
  const [prefix, setPrefix] = useState('');
  const ops = usePagedList<LabourOp>(
    useCallback(
      (cursor?: string) => listLabourOps(api, { code: prefix, limit: 50, ...(cursor ? { cursor } : {}) }),
      [api, prefix],
    ),
  );
  const errors = useFormErrors();
  const [form, setForm] = useState<FormState>(EMPTY);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useIdempotencyKey();

  const name = (op: LabourOp) => (locale === 'en' && op.name.en ? op.name.en : op.name.zh);
  const refresh = ops.refresh;

  const submit = async () => {
    if (busy) return;
    const parsed = LabourOpInput.safeParse(toInput(form));
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      await createLabourOp(api, parsed.data, idempotencyKey(parsed.data));
      setForm(EMPTY);
      refresh();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  // A failed (de)activation is said above the list: someone else may have changed the op meanwhile.
  const [toggleFailure, setToggleFailure] = useState<unknown>(null);
  const toggle = async (op: LabourOp) => {
    setToggleFailure(null);
    try {
      await updateLabourOp(api, op.id, { active: !op.active }, `"${op.version}"`);
      refresh();
    } catch (err) {
      setToggleFailure(err);
    }
  };

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const bind = fieldBinder(form, set);

  return (
    <div class="page">
      <PageHeader
        title={t('labourOp.title')}
        actions={
          manage && (
            <Link class="btn" href={href('setup/labour-ops/imports')}>
              {t('labourOp.import')}
            </Link>
          )
        }
      />
      <Section title={t('nav.labourOps')}>
        <TextField label={t('labourOp.find')} value={prefix} maxLength={20} onValue={setPrefix} />
        {toggleFailure !== null && <ErrorNotice error={toggleFailure} onRetry={refresh} />}
        <ListTable
          {...ops}
          columns={[
            { label: t('labourOp.code'), cell: (op) => op.code },
            { label: t('labourOp.nameZh'), cell: name },
            {
              label: t('labourOp.hours'),
              cell: (op) =>
                op.hours.toFixed(1) +
                (op.modelHours.length > 0
                  ? ` (${op.modelHours.map((x) => `${x.model} ${x.hours.toFixed(1)}`).join(', ')})`
                  : ''),
            },
            { label: t('labourOp.skill'), cell: (op) => `${m.skills[op.skill]} · ${m.levels[op.level]}` },
            { label: t('labourOp.bayType'), cell: (op) => m.bayTypes[op.bayType] },
            {
              label: t('labourOp.active'),
              cell: (op) =>
                manage ? (
                  <button type="button" class="btn btn-quiet" onClick={() => void toggle(op)}>
                    {t(op.active ? 'labourOp.deactivate' : 'labourOp.activate', { code: op.code })}
                  </button>
                ) : (
                  t(op.active ? 'labourOp.active' : 'labourOp.inactive')
                ),
            },
          ]}
          rowKey={(op) => op.id}
          empty={t('labourOp.none')}
        />
      </Section>
      {manage && (
        <Section title={t('labourOp.new')}>
          <ValidatedForm
            errors={errors}
            order={[
              'code',
              'name.zh',
              'name.en',
              'hours',
              ...form.modelHours.flatMap((_, i) => [`modelHours.${i}.model`, `modelHours.${i}.hours`]),
            ]}
            onSubmit={submit}
          >
            <div class="grid-2">
              <TextField {...bind('code')} label={t('labourOp.code')} required maxLength={20} />
              <TextField {...bind('hours')} label={t('labourOp.hours')} inputMode="decimal" required />
              <TextField {...bind('zh', 'name.zh')} label={t('labourOp.nameZh')} required maxLength={80} />
              <TextField {...bind('en', 'name.en')} label={t('labourOp.nameEn')} maxLength={80} />
              <SelectField
                {...bind('skill')}
                label={t('labourOp.skill')}
                options={optionsOf(Skill.options, m.skills)}
              />
              <SelectField
                {...bind('level')}
                label={t('labourOp.level')}
                options={optionsOf(SkillLevel.options, m.levels)}
              />
              <SelectField
                {...bind('bayType')}
                label={t('labourOp.bayType')}
                options={optionsOf(BayType.options, m.bayTypes)}
              />
            </div>
            <fieldset class="field">
              <legend>{t('labourOp.modelHours')}</legend>
              <RowList<ModelHoursRow>
                rows={form.modelHours}
                onRows={(rows) => set('modelHours', rows)}
                blank={() => ({ model: '', hours: '' })}
                addLabel={t('labourOp.addModel')}
                removeLabel={(i) => t('labourOp.removeModel', { n: i + 1 })}
                empty={t('labourOp.noModelHours')}
                render={(row, i, setRow) => (
                  <>
                    <TextField
                      class="grow"
                      label={t('labourOp.model', { n: i + 1 })}
                      value={row.model}
                      maxLength={60}
                      onValue={(model) => setRow({ model })}
                      field={`modelHours.${i}.model`}
                      required
                    />
                    <TextField
                      label={t('labourOp.modelHoursOf', { n: i + 1 })}
                      inputMode="decimal"
                      value={row.hours}
                      onValue={(hours) => setRow({ hours })}
                      field={`modelHours.${i}.hours`}
                      required
                    />
                  </>
                )}
              />
            </fieldset>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t('form.saving') : t('labourOp.create')}
              </button>
            </div>
          </ValidatedForm>
        </Section>
      )}
    </div>
  );
}
