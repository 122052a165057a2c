import { useCallback } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { listChecklistTemplates } from './api.ts';

/** 预检表 templates, section by section (one Query). The editor is the next step; the API already takes edits. */
export function ChecklistsPage() {
  const { t, m, locale } = useI18n();
  const { api } = useStore();
  const loaded = useLoad(useCallback(() => listChecklistTemplates(api, { limit: 20 }), [api]));
  const text = (b: { zh: string; en?: string }) => (locale === 'en' && b.en ? b.en : b.zh);
  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />;
  if (!loaded.data) return <Loading />;
  return (
    <div class="page">
      <PageHeader title={t('checklist.title')} />
      {loaded.data.items.length === 0 && <p class="muted">{t('checklist.none')}</p>}
      {loaded.data.items.map((tpl) => (
        <Section key={tpl.id} title={text(tpl.name)}>
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
        </Section>
      ))}
    </div>
  );
}
