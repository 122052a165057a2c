import { WarrantyClaimStatus } from '@aftersales/domain';
import { writeXlsx } from '@aftersales/domain/xlsx-write';
import { useCallback, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { Link, navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { FORM_ERROR, SelectField, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { ErrorNotice, Notice, PageHeader, Section, Vin } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { type Claim, type ClaimSearch, type ClaimStatus, getClaim, searchClaims } from './api.ts';
import { claimRows, download, EXPORT_LIMIT, toCsv } from './export.ts';
import { ClaimStatusBadge, fen } from './shared.tsx';

/** What the archive is searched by: the API takes one of VIN, status or OEM at a time. */
type SearchBy = 'number' | 'vin' | 'status' | 'oem';

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 索赔档案: a claim by its number (opens it), or the claims of a VIN, a status or an OEM within creation
 * days, newest first, a page at a time; the result exported as CSV or XLSX in the browser (every page,
 * up to EXPORT_LIMIT claims, saying so when there were more).
 */
export function ArchivePage() {
  const { t, m, date } = useI18n();
  const { api, href } = useStore();
  const errors = useFormErrors();
  const [by, setBy] = useState<SearchBy>('vin');
  const [value, setValue] = useState('');
  const [status, setStatus] = useState<ClaimStatus>('submitted');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [query, setQuery] = useState<ClaimSearch | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<{ n: number; cut: boolean } | null>(null);
  const [exportFailure, setExportFailure] = useState<unknown>(null);

  const load = useCallback(
    (cursor?: string) =>
      query ? searchClaims(api, { ...query, cursor, limit: 25 }) : Promise.resolve({ items: [] as Claim[] }),
    [api, query],
  );
  const list = usePagedList(load);

  const search = async () => {
    setExported(null);
    const typed = value.trim();
    if (by === 'number') {
      if (!typed) return errors.fail({ value: m.fieldErrors.required });
      try {
        const found = await getClaim(api, typed);
        navigate(href(`claims/${found.data.id}`));
      } catch (err) {
        if (err instanceof ApiError && err.status === 404)
          errors.fail({ [FORM_ERROR]: t('clm.archive.notFound') });
        else errors.refused(err);
      }
      return;
    }
    const upper = typed.toUpperCase();
    if (by === 'vin' && !VIN.test(upper)) return errors.fail({ value: m.fieldErrors.vinInvalid });
    if (by === 'oem' && !typed) return errors.fail({ value: m.fieldErrors.required });
    if (from && to && from > to) return errors.fail({ to: t('clm.archive.toBeforeFrom') });
    errors.set({});
    setQuery({
      ...(by === 'vin' ? { vin: upper } : by === 'status' ? { status } : { oemId: typed }),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
  };

  /** Every page of the search, up to the bound, then the file in the chosen format. */
  const exportAs = async (format: 'csv' | 'xlsx') => {
    if (!query || exporting) return;
    setExporting(true);
    setExportFailure(null);
    try {
      const claims: Claim[] = [];
      let cursor: string | undefined;
      do {
        const page = await searchClaims(api, {
          ...query,
          limit: Math.min(100, EXPORT_LIMIT - claims.length),
          ...(cursor ? { cursor } : {}),
        });
        claims.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && claims.length < EXPORT_LIMIT);
      const rows = claimRows(
        claims,
        {
          claim: t('clm.claim'),
          status: t('clm.status'),
          type: t('clm.type'),
          oem: t('clm.oem'),
          vin: t('clm.vin'),
          vehicle: t('clm.vehicle'),
          ro: t('clm.ro'),
          created: t('clm.created'),
          submitted: t('clm.submittedAt'),
          claimed: t('clm.claimed'),
          approved: t('clm.approved'),
          paid: t('clm.paid'),
          creditNote: t('clm.creditNote'),
        },
        { status: (s) => t(`clm.statuses.${s}`), type: (k) => t(`clm.types.${k}`) },
      );
      const name = `claims-${new Date().toISOString().slice(0, 10)}`;
      if (format === 'csv') download(`${name}.csv`, toCsv(rows), 'text/csv;charset=utf-8');
      else download(`${name}.xlsx`, writeXlsx(rows, { sheetName: t('nav.claimArchive') }), XLSX_TYPE);
      setExported({ n: claims.length, cut: cursor !== undefined });
    } catch (err) {
      setExportFailure(err);
    } finally {
      setExporting(false);
    }
  };

  const statusLabel = (s: ClaimStatus) => t(`clm.statuses.${s}`);
  return (
    <div class="page">
      <PageHeader title={t('clm.archive.title')} />
      <Section title={t('clm.archive.search')}>
        <ValidatedForm errors={errors} order={['value', 'from', 'to']} onSubmit={() => void search()}>
          <div class="grid-2">
            <SelectField
              label={t('clm.archive.by')}
              value={by}
              onValue={(v) => {
                setBy(v);
                errors.set({});
              }}
              options={[
                { value: 'vin', label: t('clm.vin') },
                { value: 'number', label: t('clm.archive.number') },
                { value: 'status', label: t('clm.status') },
                { value: 'oem', label: t('clm.oem') },
              ]}
            />
            {by === 'status' ? (
              <SelectField
                label={t('clm.status')}
                value={status}
                onValue={setStatus}
                options={WarrantyClaimStatus.options.map((s) => ({ value: s, label: statusLabel(s) }))}
              />
            ) : (
              <TextField
                label={
                  by === 'vin'
                    ? t('clm.vin')
                    : by === 'number'
                      ? t('clm.archive.number')
                      : t('clm.archive.oemId')
                }
                field="value"
                value={value}
                onValue={setValue}
                autocomplete="off"
                {...(by === 'oem' ? { hint: t('clm.archive.oemHint') } : {})}
              />
            )}
          </div>
          {by !== 'number' && (
            <div class="grid-2">
              <TextField
                label={t('clm.archive.from')}
                field="from"
                type="date"
                value={from}
                onValue={setFrom}
              />
              <TextField label={t('clm.archive.to')} field="to" type="date" value={to} onValue={setTo} />
            </div>
          )}
          <div class="form-actions">
            <button type="submit" class="btn btn-primary">
              {by === 'number' ? t('clm.archive.open') : t('clm.archive.searchButton')}
            </button>
          </div>
        </ValidatedForm>
      </Section>
      {query && (
        <Section
          title={t('clm.archive.results')}
          actions={
            <>
              <button type="button" class="btn" disabled={exporting} onClick={() => void exportAs('csv')}>
                {t('clm.archive.exportCsv')}
              </button>
              <button type="button" class="btn" disabled={exporting} onClick={() => void exportAs('xlsx')}>
                {t('clm.archive.exportXlsx')}
              </button>
            </>
          }
        >
          <p class="hint">{t('clm.archive.exportBound', { n: EXPORT_LIMIT })}</p>
          {exportFailure !== null && <ErrorNotice error={exportFailure} />}
          {exported &&
            (exported.cut ? (
              <Notice kind="warning">{t('clm.archive.exportCut', { n: exported.n })}</Notice>
            ) : (
              <Notice kind="success">{t('clm.archive.exported', { n: exported.n })}</Notice>
            ))}
          <ListTable
            {...list}
            rowKey={(c) => c.id}
            empty={t('clm.archive.none')}
            caption={t('clm.archive.results')}
            columns={[
              { label: t('clm.claim'), cell: (c) => <Link href={href(`claims/${c.id}`)}>{c.id}</Link> },
              { label: t('clm.status'), cell: (c) => <ClaimStatusBadge status={c.status} /> },
              { label: t('clm.oem'), cell: (c) => c.oemId },
              { label: t('clm.vin'), cell: (c) => <Vin vin={c.vin} /> },
              { label: t('clm.vehicle'), cell: (c) => `${c.brand} ${c.model}` },
              { label: t('clm.created'), cell: (c) => date(c.createdAt.slice(0, 10)) },
              { label: t('clm.claimed'), cell: (c) => fen(c.claimedMinor), num: true },
              {
                label: t('clm.approved'),
                cell: (c) => (c.decision ? fen(c.decision.approvedMinor) : '—'),
                num: true,
              },
            ]}
          />
        </Section>
      )}
    </div>
  );
}
