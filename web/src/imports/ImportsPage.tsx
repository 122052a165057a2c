import type { Schemas } from '@aftersales/api-client';
import {
  CUSTOMERS_VEHICLES_HEADER,
  type ImportJob,
  type ImportKindName,
  templateHeaders,
  XLSX_CONTENT_TYPE,
} from '@aftersales/domain';
import { useEffect, useId, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { Link, navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { Badge, ErrorNotice, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { fieldLabel, localizeFieldError } from '../components/validation.ts';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import { getImport, importErrors, listImports, startImport, UploadFailed, type UploadFile } from './api.ts';

/**
 * How the web app shows one import kind: its pages (under the store), their texts, its template and
 * where "back" goes. The registry's is here; another kind's lives with its owner (`setup/`).
 */
export interface ImportView {
  kind: ImportKindName;
  /** The app path of the kind's imports, under the store (`imports`); a job is `<page>/<id>`. */
  page: string;
  title: MessageKey;
  subtitle: MessageKey;
  help: MessageKey;
  /** Shown instead of the registry's text when the file lacks a required column. */
  columnsMissing?: MessageKey;
  back: { page: string; label: MessageKey };
  /** The template's header row and file name. */
  template: { headers: readonly string[]; fileName: string };
  /** Whether the screen offers Excel workbooks (.xlsx) beside CSV (the API reads both for every kind). */
  xlsx?: boolean;
}

export const REGISTRY_IMPORTS: ImportView = {
  kind: 'customers-vehicles',
  page: 'imports',
  title: 'import.title',
  subtitle: 'import.subtitle',
  help: 'import.help',
  back: { page: '', label: 'nav.frontDesk' },
  template: {
    headers: templateHeaders(CUSTOMERS_VEHICLES_HEADER),
    fileName: 'aftersales-import-template.csv',
  },
};

/** UTF-8 with a BOM, so that Excel opens it with the right encoding. */
const templateUrl = (headers: readonly string[]) =>
  `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${headers.join(',')}\r\n`)}`;

function isFinished(job: ImportJob): boolean {
  return job.status === 'completed' || job.status === 'completed_with_errors';
}

/**
 * The bytes to upload and their type. A workbook goes as it is (the API reads it); a CSV as UTF-8:
 * old DMS exports are often GB18030 (GBK), so anything that is not valid UTF-8 is read as that.
 */
async function readImportFile(file: File): Promise<UploadFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (/\.xlsx$/i.test(file.name) || file.type === XLSX_CONTENT_TYPE)
    return { bytes, contentType: XLSX_CONTENT_TYPE };
  let csv: string;
  try {
    csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    csv = new TextDecoder('gb18030').decode(bytes);
  }
  return { bytes: new TextEncoder().encode(csv), contentType: 'text/csv' };
}

function StatusBadge({ job }: { job: ImportJob }) {
  const { m } = useI18n();
  const kind =
    job.status === 'completed' ? 'success' : job.status === 'completed_with_errors' ? 'warning' : 'info';
  return <Badge kind={kind}>{m.importStatuses[job.status]}</Badge>;
}

/** 数据导入: upload a CSV of one import kind, see that kind's recent imports. */
export function ImportsPage({ view = REGISTRY_IMPORTS }: { view?: ImportView }) {
  const { t, m, dateTime, number } = useI18n();
  const { api, href } = useStore();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [uploadFailed, setUploadFailed] = useState(false);
  const [fileErrors, setFileErrors] = useState<string[]>([]);
  const [recent, setRecent] = useState<Schemas['ImportJobPage'] | null>(null);
  const [recentError, setRecentError] = useState<unknown>(null);

  useEffect(() => {
    listImports(api, view.kind).then(setRecent, setRecentError);
  }, [api, view.kind]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file || busy) return;
    setBusy(true);
    setFailure(null);
    setUploadFailed(false);
    setFileErrors([]);
    try {
      const job = await startImport(api, view.kind, file.name, await readImportFile(file));
      navigate(href(`${view.page}/${job.id}`));
    } catch (err) {
      const { columnsMissing } = view;
      if (err instanceof ApiError && err.fieldErrors.length > 0)
        setFileErrors(
          err.fieldErrors.map((f) =>
            f.code === 'CSV_COLUMNS' && columnsMissing ? t(columnsMissing) : localizeFieldError(f, m),
          ),
        );
      else if (err instanceof UploadFailed) setUploadFailed(true);
      else setFailure(err);
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader
        back={{ href: href(view.back.page), label: t(view.back.label) }}
        title={t(view.title)}
        subtitle={t(view.subtitle)}
      />
      <Section title={t(view.xlsx ? 'import.uploadXlsx' : 'import.upload')}>
        <form class="form" onSubmit={submit} noValidate>
          <p class="hint">{t(view.help)}</p>
          <p>
            <a class="btn" href={templateUrl(view.template.headers)} download={view.template.fileName}>
              {t('import.template')}
            </a>
          </p>
          <div class="field">
            <label for={inputId}>{t(view.xlsx ? 'import.fileXlsx' : 'import.file')}</label>
            <input
              id={inputId}
              type="file"
              accept={view.xlsx ? `.csv,text/csv,.xlsx,${XLSX_CONTENT_TYPE}` : '.csv,text/csv'}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setFileErrors([]);
                setFailure(null);
                setUploadFailed(false);
              }}
            />
            {file && (
              <div class="hint">
                {t('import.chosen', {
                  name: file.name,
                  kb: number(Math.max(1, Math.round(file.size / 1024))),
                })}
              </div>
            )}
          </div>
          {fileErrors.length > 0 && (
            <Notice kind="error">
              <p>{t('import.fileRefused')}</p>
              <ul>
                {fileErrors.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </Notice>
          )}
          {uploadFailed && <Notice kind="error">{t('import.uploadFailed')}</Notice>}
          {failure !== null && <ErrorNotice error={failure} />}
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={!file || busy}>
              {busy ? t('import.uploading') : t('import.start')}
            </button>
          </div>
        </form>
      </Section>
      <Section title={t('import.recent')}>
        {recentError !== null && <ErrorNotice error={recentError} />}
        {!recent && recentError === null && <Loading />}
        {recent && recent.items.length === 0 && <p class="empty">{t('import.none')}</p>}
        {recent && recent.items.length > 0 && (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('import.fileName')}</th>
                  <th scope="col">{t('import.startedAt')}</th>
                  <th scope="col">{t('import.status')}</th>
                  <th scope="col" class="num">
                    {t('import.rows')}
                  </th>
                  <th scope="col" class="num">
                    {t('import.failed')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {recent.items.map((j) => (
                  <tr key={j.id}>
                    <td>
                      <Link href={href(`${view.page}/${j.id}`)}>{j.fileName}</Link>
                    </td>
                    <td>{dateTime(j.createdAt)}</td>
                    <td>
                      <StatusBadge job={j} />
                    </td>
                    <td class="num">{number(j.totalRows)}</td>
                    <td class="num">{number(j.failed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}

/** One import: progress (polled every second until done), counts, and the row-by-row errors. */
export function ImportJobPage({
  importId,
  view = REGISTRY_IMPORTS,
}: {
  importId: string;
  view?: ImportView;
}) {
  const { t, m, number, dateTime } = useI18n();
  const { api, href } = useStore();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rowErrors, setRowErrors] = useState<Schemas['ImportRowErrorPage'] | null>(null);
  const [moreBusy, setMoreBusy] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const j = await getImport(api, view.kind, importId, ctl.signal);
        if (ctl.signal.aborted) return;
        setJob(j);
        setError(null);
        if (isFinished(j)) {
          if (j.failed > 0) setRowErrors(await importErrors(api, view.kind, importId));
          return;
        }
      } catch (err) {
        if (ctl.signal.aborted) return;
        setError(err);
        if (err instanceof ApiError && err.status >= 400 && err.status < 500) return;
      }
      timer = setTimeout(poll, 1000);
    };
    void poll();
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, [api, importId, view.kind]);

  const loadMore = async () => {
    if (!rowErrors?.nextCursor) return;
    setMoreBusy(true);
    try {
      const next = await importErrors(api, view.kind, importId, rowErrors.nextCursor);
      setRowErrors({
        items: [...rowErrors.items, ...next.items],
        ...(next.nextCursor ? { nextCursor: next.nextCursor } : {}),
      });
    } finally {
      setMoreBusy(false);
    }
  };

  const back = { href: href(view.page), label: t(view.title) };
  if (!job) {
    return (
      <div class="page">
        <PageHeader back={back} title={t('import.jobTitle')} />
        {error ? <ErrorNotice error={error} /> : <Loading />}
      </div>
    );
  }
  const finished = isFinished(job);
  const pct = job.totalRows > 0 ? Math.round((job.processedRows / job.totalRows) * 100) : finished ? 100 : 0;
  return (
    <div class="page">
      <PageHeader
        back={back}
        title={job.fileName}
        subtitle={`${t('import.jobTitle')} · ${dateTime(job.createdAt)}`}
      />
      {error !== null && <ErrorNotice error={error} />}
      {job && job.unknownHeaders.length > 0 && (
        <Notice kind="warning">
          {t('import.unknownHeaders', { headers: job.unknownHeaders.join(', ') })}
        </Notice>
      )}
      <Section title={t('import.progress')} actions={<StatusBadge job={job} />}>
        <div class="progress-wrap">
          <label for="import-progress" class="label-like">
            {t('import.progressLabel', {
              done: number(job.processedRows),
              total: number(job.totalRows),
              pct,
            })}
          </label>
          <progress id="import-progress" max={Math.max(job.totalRows, 1)} value={job.processedRows} />
        </div>
        <dl class="counts">
          <div>
            <dt>{t('import.created')}</dt>
            <dd>{number(job.created)}</dd>
          </div>
          <div>
            <dt>{t('import.updated')}</dt>
            <dd>{number(job.updated)}</dd>
          </div>
          <div>
            <dt>{t('import.unchanged')}</dt>
            <dd>{number(job.unchanged)}</dd>
          </div>
          <div class={job.failed > 0 ? 'bad' : ''}>
            <dt>{t('import.failed')}</dt>
            <dd>{number(job.failed)}</dd>
          </div>
        </dl>
        {finished && job.failed === 0 && <Notice kind="success">{t('import.allGood')}</Notice>}
      </Section>
      {finished && job.failed > 0 && (
        <Section title={t('import.errors')}>
          {!rowErrors && <Loading />}
          {rowErrors && (
            <>
              <div class="table-wrap">
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col" class="num">
                        {t('import.row')}
                      </th>
                      <th scope="col">{t('import.field')}</th>
                      <th scope="col">{t('import.problem')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rowErrors.items.flatMap((r) =>
                      r.errors.map((e, i) => (
                        <tr key={`${r.row}-${i}`}>
                          {i === 0 && (
                            <td class="num" rowSpan={r.errors.length}>
                              {r.row}
                            </td>
                          )}
                          <td>{fieldLabel(e.path, m)}</td>
                          <td>{localizeFieldError(e, m)}</td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </div>
              {rowErrors.nextCursor && (
                <button type="button" class="btn" onClick={loadMore} disabled={moreBusy}>
                  {t('action.loadMore')}
                </button>
              )}
            </>
          )}
        </Section>
      )}
    </div>
  );
}
