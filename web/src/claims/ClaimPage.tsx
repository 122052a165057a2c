import { ADJUSTMENT_REASON_LABELS } from '@aftersales/domain';
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { ConflictNotice, useVersionedRecord } from '../components/conflict.tsx';
import { TextArea, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { HistoryList } from '../components/HistoryList.tsx';
import { Badge, ErrorNotice, Facts, Loading, Notice, PageHeader, Section, Vin } from '../components/ui.tsx';
import { fieldLabel } from '../components/validation.ts';
import { customerName } from '../customers/api.ts';
import { useI18n } from '../i18n/index.tsx';
import { LemonBanner } from '../lemon-law/index.ts';
import { nameIn } from '../repair-orders/shared.tsx';
import {
  appealClaim,
  type Claim,
  type ClaimedPart,
  type ClaimLine,
  claimHistory,
  type Finding,
  getClaim,
  precheckClaim,
  shipPart,
  submitClaim,
  withdrawClaim,
} from './api.ts';
import { ClaimEditForm } from './ClaimEditForm.tsx';
import { ClaimDeliveries } from './Deliveries.tsx';
import { ClaimStatusBadge, DueDate, fen, hours, labelIn, useStoreToday } from './shared.tsx';

/** A claim the store may still change: a draft, or one the OEM returned for information. */
const EDITABLE: readonly Claim['status'][] = ['draft', 'returned'];
/** The OEM has the claim: its decision (or question) comes without anyone here acting. */
const WAITING: readonly Claim['status'][] = ['submitted', 'appealed'];

/** The control a claim path leads to (`lines.0.defectCode`, or the first under `justifications`). */
function goToField(path: string): void {
  const key = CSS.escape(path);
  const control =
    document.querySelector<HTMLElement>(`[data-field="${key}"]`) ??
    document.querySelector<HTMLElement>(`[data-field^="${key}."]`) ??
    document.querySelector<HTMLElement>(`[data-field^="${key}"]`);
  if (!control) return;
  control.scrollIntoView({ block: 'center' });
  control.focus({ preventScroll: true });
}

/**
 * 索赔单: the header, each line's 3C, codes, labour, parts, sublet and amounts, the kept parts (with the
 * OEM's return requests and the ship form), the pre-check and the edit form while the store may still
 * change it, submission, withdrawal and appeal, the OEM's decision and payment, and the history.
 */
export function ClaimPage({ claimId }: { claimId: string }) {
  const { t, date, dateTime, number } = useI18n();
  const { api, can, href, canOpen } = useStore();
  const record = useVersionedRecord(useCallback(() => getClaim(api, claimId), [api, claimId]));
  const reload = () => void record.reload();
  /** The pre-check as last run on this screen (or as a refused submission reported it). */
  const [checked, setChecked] = useState<{ at: string; findings: Finding[] } | null>(null);
  const [checking, setChecking] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const nameOf = useCallback((id: string) => customerName(api, id), [api]);
  const loadHistory = useCallback((cursor?: string) => claimHistory(api, claimId, cursor), [api, claimId]);

  // While the OEM has the claim, its answer arrives by itself: read again every 15 s (nothing is edited then).
  const waiting = record.data && WAITING.includes(record.data.data.status);
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void record.reload(), 15_000);
    return () => clearInterval(timer);
  }, [waiting, record.reload]);

  if (record.error) return <ErrorNotice error={record.error} onRetry={reload} />;
  if (!record.data) return <Loading />;
  const claim = record.data.data;
  const file = can('claim:file');
  const editable = file && EDITABLE.includes(claim.status);
  const precheck = checked ?? claim.precheck ?? null;
  const warningCodes = [
    ...new Set((precheck?.findings ?? []).filter((f) => f.severity === 'warning').map((f) => f.code)),
  ];

  const runPrecheck = async () => {
    setChecking(true);
    setFailure(null);
    try {
      const result = await precheckClaim(api, claim.id);
      setChecked({ at: result.at, findings: result.findings });
    } catch (err) {
      setFailure(err);
    } finally {
      setChecking(false);
    }
  };

  return (
    <div class="page">
      <PageHeader
        back={{ href: href('claims'), label: t('nav.claims') }}
        title={
          <>
            {t('clm.title', { id: claim.id })} <ClaimStatusBadge status={claim.status} />
          </>
        }
        subtitle={`${t(`clm.types.${claim.claimType}`)} · ${claim.oemId}`}
      />
      {record.stale && <ConflictNotice text={t('clm.reloaded')} onReload={reload} />}
      {failure !== null && <ErrorNotice error={failure} />}
      {saved && <Notice kind="success">{t('clm.saved')}</Notice>}
      <Section title={t('clm.summary')}>
        <Facts
          items={[
            [t('clm.status'), <ClaimStatusBadge key="s" status={claim.status} />],
            [t('clm.oem'), claim.oemId],
            [t('clm.vin'), <Vin key="v" vin={claim.vin} />],
            [
              t('clm.vehicle'),
              `${claim.brand} ${claim.model}${claim.modelYear ? ` (${claim.modelYear})` : ''}`,
            ],
            [
              t('clm.ro'),
              canOpen(`repair-orders/${claim.repairOrderId}`) ? (
                <Link key="ro" href={href(`repair-orders/${claim.repairOrderId}`)}>
                  {claim.repairOrderId}
                </Link>
              ) : (
                claim.repairOrderId
              ),
            ],
            [
              t('clm.odometer'),
              t('clm.odometerInOut', { in: number(claim.odometerInKm), out: number(claim.odometerOutKm) }),
            ],
            [t('clm.warrantyStart'), date(claim.warrantyStart)],
            [t('clm.roOpened'), dateTime(claim.roOpenedAt)],
            [t('clm.roClosed'), dateTime(claim.roClosedAt)],
            [
              t('clm.submitBy'),
              claim.status === 'draft' ? <DueDateToday key="d" due={claim.submitBy} /> : date(claim.submitBy),
            ],
            [t('clm.submittedAt'), claim.submittedAt ? dateTime(claim.submittedAt) : undefined],
            [t('clm.submissions'), String(claim.submissions)],
            [t('clm.photos'), t('clm.photosCount', { n: claim.photoIds.length })],
            [t('clm.claimed'), fen(claim.claimedMinor)],
            [t('clm.createdBy'), `${claim.createdBy.name} ${dateTime(claim.createdAt)}`],
          ]}
        />
      </Section>
      {claim.infoRequest && (
        <Section title={t('clm.infoRequest')}>
          <p>{claim.infoRequest.question}</p>
          <p>
            {t('clm.answerBy')}: <DueDateToday due={claim.infoRequest.dueBy} />
          </p>
          {claim.infoAnswer && (
            <p>
              <strong>{t('clm.ourAnswer')}</strong>: {claim.infoAnswer}
            </p>
          )}
        </Section>
      )}
      <LemonBanner vehicleId={claim.vehicleId} />
      <Section title={t('clm.lines')}>
        {claim.lines.map((l, i) => (
          <LineView key={l.id} line={l} n={i + 1} />
        ))}
      </Section>
      <Section title={t('clm.keptParts')}>
        <KeptParts claim={claim} canShip={file} onShipped={reload} />
      </Section>
      {(EDITABLE.includes(claim.status) || precheck) && (
        <Section
          title={t('clm.precheck')}
          actions={
            EDITABLE.includes(claim.status) && (
              <button type="button" class="btn" disabled={checking} onClick={() => void runPrecheck()}>
                {t('clm.runPrecheck')}
              </button>
            )
          }
        >
          <Findings precheck={precheck} pointable={editable} />
        </Section>
      )}
      {editable && (
        <Section title={t('clm.edit')}>
          <ClaimEditForm
            key={claim.version}
            claimId={claim.id}
            warningCodes={warningCodes}
            onSaved={() => {
              setSaved(true);
              reload();
              // The findings on screen were about the claim before the edit: check it again.
              if (precheck) void runPrecheck();
            }}
          />
        </Section>
      )}
      {editable && (
        <SubmitForm
          claim={claim}
          stale={record.stale}
          onReload={reload}
          submit={(answer) =>
            record.change((etag) => submitClaim(api, claim.id, answer, etag)).then(() => setSaved(false))
          }
          onFindings={(findings) => setChecked({ at: new Date().toISOString(), findings })}
        />
      )}
      {claim.decision && <DecisionView claim={claim} />}
      {claim.appeal && (
        <Section title={t('clm.appeal')}>
          <p>{t('clm.appealedBy', { name: claim.appeal.by.name, at: dateTime(claim.appeal.at) })}</p>
          <p>{claim.appeal.text}</p>
        </Section>
      )}
      {file && (claim.status === 'rejected' || claim.status === 'partly_accepted') && !claim.appeal && (
        <ReasonForm
          stale={record.stale}
          onReload={reload}
          title={t('clm.appeal')}
          label={t('clm.appealText')}
          button={t('clm.appealButton')}
          field="text"
          danger={false}
          send={(text) => record.change((etag) => appealClaim(api, claim.id, text, etag))}
        />
      )}
      {claim.payment && (
        <Section title={t('clm.payment')}>
          <Facts
            items={[
              [t('clm.creditNote'), claim.payment.creditNote],
              [t('clm.amount'), fen(claim.payment.amountMinor)],
              [t('clm.paidAt'), dateTime(claim.payment.paidAt)],
            ]}
          />
        </Section>
      )}
      <Section title={t('clm.deliveries')}>
        <ClaimDeliveries claimId={claim.id} version={claim.version} />
      </Section>
      {editable && (
        <ReasonForm
          stale={record.stale}
          onReload={reload}
          title={t('clm.withdraw')}
          label={t('clm.withdrawReason')}
          button={t('clm.withdraw')}
          field="reason"
          danger
          send={(reason) => record.change((etag) => withdrawClaim(api, claim.id, reason, etag))}
        />
      )}
      <Section title={t('clm.history')}>
        <HistoryList load={loadHistory} nameOf={nameOf} />
      </Section>
    </div>
  );
}

function DueDateToday({ due }: { due: string }) {
  return <DueDate due={due} today={useStoreToday()} />;
}

/** One claimed line: its 3C and codes, labour (flat rate against clocked), parts, sublet and amounts. */
function LineView({ line: l, n }: { line: ClaimLine; n: number }) {
  const { t, locale } = useI18n();
  const part = (p: NonNullable<ClaimLine['causalPart']>) =>
    `${p.partNumber} ${nameIn(locale, p.name)} ×${p.quantity} @ ${fen(p.unitPrice.amountMinor)}`;
  return (
    <div class="job-line">
      <h3>{t('clm.lineOf', { n, ro: l.repairOrderLineId })}</h3>
      <Facts
        items={[
          [t('clm.complaint'), l.complaint],
          [t('clm.cause'), l.cause],
          [t('clm.correction'), l.correction],
          [t('clm.conditionCode'), l.conditionCode],
          [t('clm.defectCode'), l.defectCode],
          [t('clm.causalPart'), l.causalPart ? part(l.causalPart) : undefined],
          [t('clm.otherParts'), l.otherParts.map(part).join('、')],
          [t('clm.sublet'), l.sublet.map((s) => `${s.description} ${fen(s.amount.amountMinor)}`).join('、')],
          [t('clm.claimed'), fen(l.claimedMinor)],
        ]}
      />
      {l.labour.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{t('clm.labour')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('clm.labour')}</th>
                <th scope="col" class="num">
                  {t('clm.flatRate')}
                </th>
                <th scope="col" class="num">
                  {t('clm.actual')}
                </th>
                <th scope="col" class="num">
                  {t('clm.rate')}
                </th>
                <th scope="col" class="num">
                  {t('clm.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {l.labour.map((o) => (
                <tr key={o.code}>
                  <td>{`${o.code} ${nameIn(locale, o.name)}`.trim()}</td>
                  <td class="num">{hours(o.tenths)}</td>
                  <td class="num">
                    {hours(o.actualTenths)}{' '}
                    {o.actualTenths > o.tenths && <Badge kind="warning">{t('clm.overFlatRate')}</Badge>}
                  </td>
                  <td class="num">{fen(o.rate.amountMinor)}</td>
                  <td class="num">{fen(Math.round((o.rate.amountMinor * o.tenths) / 10))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {l.decision && (
        <>
          <p>
            <strong>{t('clm.approved')}</strong>: {fen(l.decision.approvedMinor)}
          </p>
          {l.decision.adjustments.length > 0 && (
            <ul class="plain-list">
              {l.decision.adjustments.map((a) => (
                <li key={`${a.reason}-${a.amountMinor}`}>
                  {labelIn(locale, ADJUSTMENT_REASON_LABELS[a.reason])}: −{fen(a.amountMinor)}
                  {a.note ? ` · ${a.note}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/** 三包旧件: where each kept part is, what the OEM asked, and the ship form for a part asked back. */
function KeptParts({ claim, canShip, onShipped }: { claim: Claim; canShip: boolean; onShipped: () => void }) {
  const { t, date, dateTime, locale } = useI18n();
  const today = useStoreToday();
  if (claim.parts.length === 0) return <p class="muted">{t('clm.noKeptParts')}</p>;
  return (
    <ul class="plain-list">
      {claim.parts.map((p) => (
        <li key={p.id} class="job-line">
          <h3>
            {`${p.partNumber} ${nameIn(locale, p.name)} ×${p.quantity}`}{' '}
            <Badge kind={p.status === 'return_requested' ? 'warning' : 'neutral'}>
              {t(`clm.partStatuses.${p.status}`)}
            </Badge>
          </h3>
          <Facts
            items={[
              [t('clm.location'), p.location],
              [t('clm.retainUntil'), date(p.retainUntil)],
              [
                t('clm.returnRequest'),
                p.returnRequest ? (
                  <>
                    {t('clm.shipBy')}: <DueDate due={p.returnRequest.dueBy} today={today} />
                    {p.returnRequest.note ? ` · ${p.returnRequest.note}` : ''}
                  </>
                ) : undefined,
              ],
              [
                t('clm.shipment'),
                p.shipment
                  ? `${p.shipment.reference} · ${p.shipment.by.name} ${dateTime(p.shipment.at)}`
                  : undefined,
              ],
              [t('clm.receivedAt'), p.receivedAt ? dateTime(p.receivedAt) : undefined],
            ]}
          />
          {canShip && p.status === 'return_requested' && (
            <ShipForm claimId={claim.id} part={p} onShipped={onShipped} />
          )}
        </li>
      ))}
    </ul>
  );
}

function ShipForm({
  claimId,
  part,
  onShipped,
}: {
  claimId: string;
  part: ClaimedPart;
  onShipped: () => void;
}) {
  const { t } = useI18n();
  const { api } = useStore();
  const errors = useFormErrors();
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <ValidatedForm
      errors={errors}
      order={['reference']}
      onSubmit={async () => {
        if (!reference.trim()) {
          errors.fail({ reference: t('clm.referenceRequired') });
          return;
        }
        setBusy(true);
        try {
          await shipPart(api, claimId, part.id, reference.trim());
          onShipped();
        } catch (err) {
          errors.refused(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <TextField
        label={t('clm.carrierReference', { part: part.partNumber })}
        field="reference"
        value={reference}
        onValue={setReference}
        maxLength={60}
        required
      />
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {t('clm.ship')}
      </button>
    </ValidatedForm>
  );
}

/** 预审 findings: errors first, each pointing at the claim field it is about, in the language shown. */
function Findings({
  precheck,
  pointable,
}: {
  precheck: { at: string; findings: Finding[] } | null;
  pointable: boolean;
}) {
  const { t, m, locale, dateTime } = useI18n();
  if (!precheck) return <p class="muted">{t('clm.precheckNone')}</p>;
  const findings = [...precheck.findings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  return (
    <>
      <p class="hint">{t('clm.precheckAt', { at: dateTime(precheck.at) })}</p>
      {findings.length === 0 ? (
        <Notice kind="success">{t('clm.precheckClean')}</Notice>
      ) : (
        <ul class="plain-list findings">
          {findings.map((f) => {
            const field = fieldLabel(f.path, m);
            return (
              <li key={`${f.code}-${f.path}`}>
                <Badge kind={f.severity === 'error' ? 'danger' : 'warning'}>
                  {t(`clm.severities.${f.severity}`)}
                </Badge>{' '}
                {labelIn(locale, f.message)}{' '}
                {f.path &&
                  (pointable ? (
                    <button type="button" class="link-button" onClick={() => goToField(f.path)}>
                      {field}
                    </button>
                  ) : (
                    <span class="muted">{field}</span>
                  ))}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/**
 * 提交 (or 补充后重新提交): a returned claim sends the answer to the OEM's question. A refusal by the
 * pre-check shows its findings above; a missing justification or answer shows on its field.
 */
function SubmitForm({
  claim,
  stale,
  onReload,
  submit,
  onFindings,
}: {
  claim: Claim;
  stale: boolean;
  onReload: () => void;
  submit: (answer: string | undefined) => Promise<void>;
  onFindings: (findings: Finding[]) => void;
}) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [answer, setAnswer] = useState(claim.infoAnswer ?? '');
  const [busy, setBusy] = useState(false);
  const returned = claim.status === 'returned';
  return (
    <Section title={returned ? t('clm.resubmit') : t('clm.submit')}>
      <ValidatedForm
        errors={errors}
        order={['answer']}
        notices={stale && <StaleNotice onReload={onReload} />}
        onSubmit={async () => {
          if (returned && !answer.trim()) {
            errors.fail({ answer: t('clm.answerRequired') });
            return;
          }
          setBusy(true);
          try {
            await submit(returned ? answer.trim() : undefined);
          } catch (err) {
            if (err instanceof ApiError && Array.isArray(err.extra.findings)) {
              onFindings(err.extra.findings as Finding[]);
            }
            errors.refused(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        {returned && (
          <TextArea
            label={t('clm.answer')}
            field="answer"
            value={answer}
            onValue={setAnswer}
            maxLength={1000}
            rows={4}
          />
        )}
        <p class="hint">{t('clm.submitHint')}</p>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {returned ? t('clm.resubmitButton') : t('clm.submitButton')}
        </button>
      </ValidatedForm>
    </Section>
  );
}

function StaleNotice({ onReload }: { onReload: () => void }) {
  const { t } = useI18n();
  return <ConflictNotice text={t('clm.reloaded')} onReload={onReload} />;
}

/** A move that needs words: 撤回 (why) or 申诉 (why the decision is wrong). */
function ReasonForm({
  title,
  label,
  button,
  field,
  danger,
  stale,
  onReload,
  send,
}: {
  title: string;
  /** The claim changed under the user: said here too, where the refused action was (the text is kept). */
  stale: boolean;
  onReload: () => void;
  label: string;
  button: string;
  field: string;
  danger: boolean;
  send: (text: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Section title={title}>
      <ValidatedForm
        errors={errors}
        order={[field]}
        notices={stale && <StaleNotice onReload={onReload} />}
        onSubmit={async () => {
          if (!text.trim()) {
            errors.fail({ [field]: t('clm.textRequired') });
            return;
          }
          setBusy(true);
          try {
            await send(text.trim());
          } catch (err) {
            errors.refused(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <TextArea label={label} field={field} value={text} onValue={setText} maxLength={1000} />
        <button type="submit" class={danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={busy}>
          {button}
        </button>
      </ValidatedForm>
    </Section>
  );
}

/** 审核结果: the outcome, the reasons from the code list, what was approved against what was claimed. */
function DecisionView({ claim }: { claim: Claim }) {
  const { t, locale, dateTime } = useI18n();
  const d = claim.decision!;
  const reasons: ComponentChildren = d.reasons
    .map((r) => labelIn(locale, ADJUSTMENT_REASON_LABELS[r]))
    .join('、');
  return (
    <Section title={t('clm.decision')}>
      <Facts
        items={[
          [t('clm.outcome'), t(`clm.statuses.${d.outcome}`)],
          [t('clm.reasons'), reasons],
          [t('clm.note'), d.note],
          [t('clm.claimed'), fen(claim.claimedMinor)],
          [t('clm.approved'), fen(d.approvedMinor)],
          [t('clm.decidedBy'), `${d.by} ${dateTime(d.at)}`],
        ]}
      />
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">{t('clm.decision')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('clm.line')}</th>
              <th scope="col" class="num">
                {t('clm.claimed')}
              </th>
              <th scope="col" class="num">
                {t('clm.approved')}
              </th>
              <th scope="col">{t('clm.adjustments')}</th>
            </tr>
          </thead>
          <tbody>
            {claim.lines.map((l, i) => (
              <tr key={l.id}>
                <td>{t('clm.lineOf', { n: i + 1, ro: l.repairOrderLineId })}</td>
                <td class="num">{fen(l.claimedMinor)}</td>
                <td class="num">{l.decision ? fen(l.decision.approvedMinor) : '—'}</td>
                <td>
                  {(l.decision?.adjustments ?? [])
                    .map(
                      (a) => `${labelIn(locale, ADJUSTMENT_REASON_LABELS[a.reason])} −${fen(a.amountMinor)}`,
                    )
                    .join('、') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
