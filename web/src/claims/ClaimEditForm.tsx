import { ClaimEdit, toMinor } from '@aftersales/domain';
import { useCallback, useEffect } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useEditing } from '../components/editing.ts';
import { FORM_ERROR, SelectField, TextArea, TextField, ValidatedForm } from '../components/forms.tsx';
import { ErrorNotice, Loading } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { nameIn } from '../repair-orders/shared.tsx';
import { RowList } from '../setup/RowList.tsx';
import { type Claim, type ClaimEdit as ClaimEditBody, getClaim, updateClaim } from './api.ts';

/** A line as the form holds it: every text as typed, the causal part by its part number ('' for none). */
interface LineForm {
  id: string;
  complaint: string;
  cause: string;
  correction: string;
  conditionCode: string;
  defectCode: string;
  causalPartNumber: string;
  /** 外协 rows, the amount in yuan as typed. */
  sublet: SubletRow[];
}

interface SubletRow {
  description: string;
  amount: string;
}

interface Form {
  lines: LineForm[];
  /** Written justifications by warning code. */
  justifications: Record<string, string>;
  /** Where each kept part (三包旧件) is shelved, in the claim's order of parts. */
  locations: string[];
}

type ClaimSublet = Claim['lines'][number]['sublet'];

const subletRows = (sublet: ClaimSublet): SubletRow[] =>
  sublet.map((s) => ({ description: s.description, amount: (s.amount.amountMinor / 100).toFixed(2) }));

/** Rows → the API's sublet; an empty amount is NaN, which the schema refuses at its field. */
const subletOf = (rows: readonly SubletRow[]): ClaimSublet =>
  rows.map((r) => ({
    description: r.description.trim(),
    amount: { amountMinor: r.amount.trim() === '' ? Number.NaN : toMinor(Number(r.amount)), currency: 'CNY' },
  }));

function toForm(claim: Claim): Form {
  return {
    lines: claim.lines.map((l) => ({
      id: l.id,
      complaint: l.complaint,
      cause: l.cause ?? '',
      correction: l.correction ?? '',
      conditionCode: l.conditionCode ?? '',
      defectCode: l.defectCode ?? '',
      causalPartNumber: l.causalPart?.partNumber ?? '',
      sublet: subletRows(l.sublet),
    })),
    justifications: Object.fromEntries(claim.justifications.map((j) => [j.code, j.text])),
    locations: claim.parts.map((p) => p.location),
  };
}

const TEXTS = [
  'complaint',
  'cause',
  'correction',
  'conditionCode',
  'defectCode',
  'causalPartNumber',
] as const;

/**
 * The edit: every line named by id (so its index is the claim's, as the pre-check's paths count them),
 * with only the fields that changed; a field emptied is left as stored (the API replaces what it is sent).
 * A line's sublet goes as its whole list when it changed (the API replaces it, and the line's claimed
 * amount follows). Justifications go as a whole list when one of them changed; so do the kept parts' locations,
 * every part in the claim's order (an emptied one as stored), so a field error's index is the part's.
 */
function editOf(claim: Claim, form: Form, warningCodes: readonly string[]): ClaimEditBody | null {
  const before = toForm(claim);
  let changed = false;
  const lines = form.lines.map((l, i) => {
    const out: NonNullable<ClaimEditBody['lines']>[number] = { id: l.id };
    for (const key of TEXTS) {
      const value = l[key].trim();
      if (value !== '' && value !== before.lines[i]?.[key]) {
        out[key] = value;
        changed = true;
      }
    }
    const sublet = subletOf(l.sublet);
    if (JSON.stringify(sublet) !== JSON.stringify(subletOf(before.lines[i]?.sublet ?? []))) {
      out.sublet = sublet;
      changed = true;
    }
    return out;
  });
  const partLocations = claim.parts.map((p, i) => ({
    id: p.id,
    location: form.locations[i]?.trim() || p.location,
  }));
  const located = partLocations.some((p, i) => p.location !== claim.parts[i]?.location);
  const codes = [...new Set([...warningCodes, ...Object.keys(form.justifications)])];
  const justifications = codes.flatMap((code) => {
    const text = (form.justifications[code] ?? '').trim();
    return text ? [{ code, text }] : [];
  });
  const justified = JSON.stringify(justifications) !== JSON.stringify(claim.justifications);
  if (!changed && !justified && !located) return null;
  return {
    ...(changed ? { lines } : {}),
    ...(justified ? { justifications } : {}),
    ...(located ? { partLocations } : {}),
  };
}

/**
 * 修改索赔单 (a draft, or a claim returned for information): per line the 3C, the condition and defect
 * codes (upper case, as the OEM's manuals write them), the causal part among the line's parts; and a
 * written justification for each warning code of the pre-check. Each control carries its claim path
 * (`lines.0.defectCode`), which the pre-check's findings and the API's field errors point at.
 */
export function ClaimEditForm({
  claimId,
  warningCodes,
  onSaved,
}: {
  claimId: string;
  warningCodes: readonly string[];
  onSaved: () => void;
}) {
  const { t, m, locale } = useI18n();
  const { api } = useStore();
  const editing = useEditing({
    load: useCallback(() => getClaim(api, claimId), [api, claimId]),
    toForm,
  });
  const { form, setForm, errors, record } = editing;
  // Saved: the page shows the claim as now stored (and this form starts again from it).
  useEffect(() => {
    if (editing.saved) onSaved();
  }, [editing.saved]);
  if (editing.loadError) return <ErrorNotice error={editing.loadError} onRetry={editing.retry} />;
  if (!form || !record) return <Loading />;
  const claim = record.data;
  const codes = [...new Set([...warningCodes, ...Object.keys(form.justifications)])];

  const setLine = (i: number, patch: Partial<LineForm>) =>
    setForm((f) => ({ ...f, lines: f.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) }));
  const order = [
    ...form.lines.flatMap((l, i) => [
      ...TEXTS.map((k) => `lines.${i}.${k}`),
      ...l.sublet.flatMap((_, j) => [
        `lines.${i}.sublet.${j}.description`,
        `lines.${i}.sublet.${j}.amount.amountMinor`,
      ]),
    ]),
    ...codes.map((c) => `justifications.${c}`),
    ...claim.parts.map((_, i) => `partLocations.${i}.location`),
  ];

  const submit = () => {
    const edit = editOf(claim, form, codes);
    if (!edit) {
      errors.fail({ [FORM_ERROR]: m.fieldErrors.nothingToSave });
      return;
    }
    const parsed = ClaimEdit.safeParse(edit);
    if (!parsed.success) {
      errors.fail(schemaErrors(parsed.error.issues, m));
      return;
    }
    void editing.save((etag) => updateClaim(api, claimId, edit, etag));
  };

  return (
    <ValidatedForm
      errors={errors}
      order={order}
      conflict={editing.conflict(t('clm.conflict'))}
      onSubmit={submit}
    >
      {form.lines.map((l, i) => {
        const line = claim.lines[i]!;
        const parts = [...(line.causalPart ? [line.causalPart] : []), ...line.otherParts];
        return (
          <fieldset key={l.id}>
            <legend>{t('clm.lineOf', { n: i + 1, ro: line.repairOrderLineId })}</legend>
            <TextArea
              label={t('clm.complaint')}
              field={`lines.${i}.complaint`}
              value={l.complaint}
              onValue={(v) => setLine(i, { complaint: v })}
              maxLength={500}
              rows={2}
            />
            <TextArea
              label={t('clm.cause')}
              field={`lines.${i}.cause`}
              value={l.cause}
              onValue={(v) => setLine(i, { cause: v })}
              maxLength={500}
              rows={2}
            />
            <TextArea
              label={t('clm.correction')}
              field={`lines.${i}.correction`}
              value={l.correction}
              onValue={(v) => setLine(i, { correction: v })}
              maxLength={500}
              rows={2}
            />
            <div class="grid-2">
              <TextField
                label={t('clm.conditionCode')}
                field={`lines.${i}.conditionCode`}
                value={l.conditionCode}
                onValue={(v) => setLine(i, { conditionCode: v.toUpperCase() })}
                maxLength={12}
                autocomplete="off"
                hint={t('clm.codeHint')}
              />
              <TextField
                label={t('clm.defectCode')}
                field={`lines.${i}.defectCode`}
                value={l.defectCode}
                onValue={(v) => setLine(i, { defectCode: v.toUpperCase() })}
                maxLength={12}
                autocomplete="off"
                hint={t('clm.codeHint')}
              />
            </div>
            {parts.length > 0 && (
              <SelectField
                label={t('clm.causalPart')}
                field={`lines.${i}.causalPartNumber`}
                value={l.causalPartNumber}
                onValue={(v) => setLine(i, { causalPartNumber: v })}
                options={[
                  ...(line.causalPart ? [] : [{ value: '', label: t('clm.noCausalPart') }]),
                  ...parts.map((p) => ({
                    value: p.partNumber,
                    label: `${p.partNumber} ${nameIn(locale, p.name)}`.trim(),
                  })),
                ]}
              />
            )}
            <fieldset class="field">
              <legend>{t('clm.sublet')}</legend>
              <RowList<SubletRow>
                rows={l.sublet}
                onRows={(sublet) => setLine(i, { sublet })}
                blank={() => ({ description: '', amount: '' })}
                addLabel={t('clm.addSublet')}
                removeLabel={(j) => t('clm.removeSublet', { n: j + 1 })}
                empty={t('clm.noSublet')}
                render={(row, j, setRow) => (
                  <>
                    <TextField
                      class="grow"
                      label={t('clm.subletDescription', { n: j + 1 })}
                      field={`lines.${i}.sublet.${j}.description`}
                      value={row.description}
                      onValue={(description) => setRow({ description })}
                      maxLength={120}
                      hint={t('clm.subletHint')}
                    />
                    <TextField
                      label={t('clm.subletAmount', { n: j + 1 })}
                      field={`lines.${i}.sublet.${j}.amount.amountMinor`}
                      value={row.amount}
                      onValue={(amount) => setRow({ amount })}
                      inputMode="decimal"
                    />
                  </>
                )}
              />
            </fieldset>
          </fieldset>
        );
      })}
      {claim.parts.length > 0 && (
        <fieldset>
          <legend>{t('clm.keptParts')}</legend>
          {claim.parts.map((p, i) => (
            <TextField
              key={p.id}
              label={t('clm.locationOf', { part: `${p.partNumber} ${nameIn(locale, p.name)}`.trim() })}
              field={`partLocations.${i}.location`}
              value={form.locations[i] ?? ''}
              onValue={(v) =>
                setForm((f) => ({ ...f, locations: f.locations.map((x, j) => (j === i ? v : x)) }))
              }
              maxLength={60}
              hint={t('clm.locationHint')}
            />
          ))}
        </fieldset>
      )}
      {codes.length > 0 && (
        <fieldset>
          <legend>{t('clm.justifications')}</legend>
          {codes.map((code) => (
            <TextArea
              key={code}
              label={t('clm.justificationFor', { code })}
              field={`justifications.${code}`}
              value={form.justifications[code] ?? ''}
              onValue={(v) => setForm((f) => ({ ...f, justifications: { ...f.justifications, [code]: v } }))}
              maxLength={500}
              hint={t('clm.justifyHint')}
            />
          ))}
        </fieldset>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={editing.saving}>
          {t('clm.save')}
        </button>
      </div>
    </ValidatedForm>
  );
}
