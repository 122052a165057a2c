import type { Schemas } from '@aftersales/api-client';
import { ChecklistItemKind, ChecklistTemplateInput } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { SelectField, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { optional, schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { createChecklistTemplate, listChecklistTemplates, updateChecklistTemplate } from './api.ts';
import { RowList } from './RowList.tsx';

type Template = Schemas['ChecklistTemplate'];

/** Both languages as typed (English may stay empty). */
interface Text {
  zh: string;
  en: string;
}
interface ItemRow {
  label: Text;
  kind: ChecklistItemKind;
}
interface SectionRow {
  title: Text;
  items: ItemRow[];
}
interface FormState {
  name: Text;
  sections: SectionRow[];
}

const blankText = (): Text => ({ zh: '', en: '' });
const blankItem = (): ItemRow => ({ label: blankText(), kind: 'condition' });
const blankSection = (): SectionRow => ({ title: blankText(), items: [blankItem()] });
const EMPTY = (): FormState => ({ name: blankText(), sections: [blankSection()] });

const asText = (b: { zh: string; en?: string }): Text => ({ zh: b.zh, en: b.en ?? '' });
const bilingual = (t: Text) => {
  const en = optional(t.en);
  return { zh: t.zh, ...(en ? { en } : {}) };
};

function fromTemplate(tpl: Template): FormState {
  return {
    name: asText(tpl.name),
    sections: tpl.sections.map((s) => ({
      title: asText(s.title),
      items: s.items.map((i) => ({ label: asText(i.label), kind: i.kind })),
    })),
  };
}

function toInput(f: FormState): ChecklistTemplateInput {
  return {
    name: bilingual(f.name),
    sections: f.sections.map((s) => ({
      title: bilingual(s.title),
      items: s.items.map((i) => ({ label: bilingual(i.label), kind: i.kind })),
    })),
  };
}

/**
 * 预检表 templates, section by section (one Query). The after-sales manager creates and edits them and
 * deactivates one no longer used (templates are kept: past inspections name them); others read.
 */
export function ChecklistsPage() {
  const { t } = useI18n();
  const { api, can } = useStore();
  const manage = can('setup:manage');
  const loaded = useLoad(useCallback(() => listChecklistTemplates(api, { limit: 20 }), [api]));
  const [editing, setEditing] = useState<string | null>(null);
  const reload = () => {
    setEditing(null);
    void loaded.reload();
  };
  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />;
  if (!loaded.data) return <Loading />;
  return (
    <div class="page">
      <PageHeader title={t('checklist.title')} />
      {loaded.data.items.length === 0 && <p class="muted">{t('checklist.none')}</p>}
      {loaded.data.items.map((tpl) =>
        editing === tpl.id ? (
          <Section key={tpl.id} title={t('checklist.editing', { name: tpl.name.zh })}>
            <ChecklistForm template={tpl} onSaved={reload} onCancel={() => setEditing(null)} />
          </Section>
        ) : (
          <TemplateView
            key={tpl.id}
            tpl={tpl}
            manage={manage}
            onEdit={() => setEditing(tpl.id)}
            onSaved={reload}
          />
        ),
      )}
      {loaded.data.nextCursor && <p class="muted">{t('checklist.more')}</p>}
      {manage && (
        <Section title={t('checklist.new')}>
          <ChecklistForm onSaved={reload} />
        </Section>
      )}
    </div>
  );
}

function TemplateView({
  tpl,
  manage,
  onEdit,
  onSaved,
}: {
  tpl: Template;
  manage: boolean;
  onEdit: () => void;
  onSaved: () => void;
}) {
  const { t, m, locale } = useI18n();
  const { api } = useStore();
  const [failure, setFailure] = useState<unknown>(null);
  const text = (b: { zh: string; en?: string }) => (locale === 'en' && b.en ? b.en : b.zh);
  const toggle = async () => {
    setFailure(null);
    try {
      await updateChecklistTemplate(api, tpl.id, { active: !tpl.active }, `"${tpl.version}"`);
      onSaved();
    } catch (err) {
      setFailure(err);
    }
  };
  return (
    <Section title={`${text(tpl.name)}${tpl.active ? '' : ` · ${t('labourOp.inactive')}`}`}>
      {failure !== null && <ErrorNotice error={failure} />}
      {tpl.sections.map((s, i) => (
        <div key={i}>
          <h3>
            {text(s.title)} · {t('checklist.items', { n: s.items.length })}
          </h3>
          <ul>
            {s.items.map((item, j) => (
              <li key={j}>
                {text(item.label)} ({m.itemKinds[item.kind]})
              </li>
            ))}
          </ul>
        </div>
      ))}
      {manage && (
        <div class="form-actions">
          <button type="button" class="btn" onClick={onEdit}>
            {t('checklist.edit', { name: text(tpl.name) })}
          </button>
          <button type="button" class="btn btn-quiet" onClick={() => void toggle()}>
            {t(tpl.active ? 'checklist.deactivate' : 'checklist.activate', { name: text(tpl.name) })}
          </button>
        </div>
      )}
    </Section>
  );
}

/** Creates a template, or edits `template` on the version it was read at. */
function ChecklistForm({
  template,
  onSaved,
  onCancel,
}: {
  template?: Template;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const { t, m } = useI18n();
  const { api } = useStore();
  const errors = useFormErrors();
  const [form, setForm] = useState<FormState>(() => (template ? fromTemplate(template) : EMPTY()));
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useIdempotencyKey();

  const submit = async () => {
    if (busy) return;
    const parsed = ChecklistTemplateInput.safeParse(toInput(form));
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      if (template) {
        const { name, sections } = parsed.data;
        await updateChecklistTemplate(api, template.id, { name, sections }, `"${template.version}"`);
      } else {
        await createChecklistTemplate(api, parsed.data, idempotencyKey(parsed.data));
        setForm(EMPTY());
      }
      onSaved();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  const order = [
    'name.zh',
    'name.en',
    ...form.sections.flatMap((s, i) => [
      `sections.${i}.title.zh`,
      `sections.${i}.title.en`,
      `sections.${i}.items`,
      ...s.items.flatMap((_, j) => [
        `sections.${i}.items.${j}.label.zh`,
        `sections.${i}.items.${j}.label.en`,
      ]),
    ]),
  ];
  const setSections = (sections: SectionRow[]) => setForm((f) => ({ ...f, sections }));

  return (
    <ValidatedForm
      errors={errors}
      order={order}
      onSubmit={() => void submit()}
      notices={errors.conflict && <Notice kind="error">{t('checklist.conflict')}</Notice>}
    >
      <div class="grid-2">
        <TextField
          label={t('checklist.nameZh')}
          value={form.name.zh}
          maxLength={80}
          onValue={(zh) => setForm((f) => ({ ...f, name: { ...f.name, zh } }))}
          field="name.zh"
          required
        />
        <TextField
          label={t('checklist.nameEn')}
          value={form.name.en}
          maxLength={80}
          onValue={(en) => setForm((f) => ({ ...f, name: { ...f.name, en } }))}
          field="name.en"
        />
      </div>
      <RowList<SectionRow>
        rows={form.sections}
        onRows={setSections}
        blank={blankSection}
        addLabel={t('checklist.addSection')}
        removeLabel={(i) => t('checklist.removeSection', { n: i + 1 })}
        render={(section, i, set) => (
          <fieldset class="field grow">
            <legend>{t('checklist.section', { n: i + 1 })}</legend>
            <div class="grid-2">
              <TextField
                label={t('checklist.sectionZh', { n: i + 1 })}
                value={section.title.zh}
                maxLength={80}
                onValue={(zh) => set({ title: { ...section.title, zh } })}
                field={`sections.${i}.title.zh`}
                required
              />
              <TextField
                label={t('checklist.sectionEn', { n: i + 1 })}
                value={section.title.en}
                maxLength={80}
                onValue={(en) => set({ title: { ...section.title, en } })}
                field={`sections.${i}.title.en`}
              />
            </div>
            <RowList<ItemRow>
              rows={section.items}
              onRows={(items) => set({ items })}
              blank={blankItem}
              addLabel={t('checklist.addItem', { n: i + 1 })}
              removeLabel={(j) => t('checklist.removeItem', { n: i + 1, k: j + 1 })}
              render={(item, j, setItem) => (
                <>
                  <TextField
                    class="grow"
                    label={t('checklist.itemZh', { n: i + 1, k: j + 1 })}
                    value={item.label.zh}
                    maxLength={80}
                    onValue={(zh) => setItem({ label: { ...item.label, zh } })}
                    field={`sections.${i}.items.${j}.label.zh`}
                    required
                  />
                  <TextField
                    class="grow"
                    label={t('checklist.itemEn', { n: i + 1, k: j + 1 })}
                    value={item.label.en}
                    maxLength={80}
                    onValue={(en) => setItem({ label: { ...item.label, en } })}
                    field={`sections.${i}.items.${j}.label.en`}
                  />
                  <SelectField
                    label={t('checklist.itemKind', { n: i + 1, k: j + 1 })}
                    value={item.kind}
                    options={ChecklistItemKind.options.map((v) => ({ value: v, label: m.itemKinds[v] }))}
                    onValue={(kind) => setItem({ kind })}
                  />
                </>
              )}
            />
          </fieldset>
        )}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? t('form.saving') : template ? t('form.saveChanges') : t('checklist.create')}
        </button>
        {onCancel && (
          <button type="button" class="btn btn-quiet" onClick={onCancel}>
            {t('checklist.cancel')}
          </button>
        )}
      </div>
    </ValidatedForm>
  );
}
