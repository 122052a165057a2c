import type { Schemas } from '@aftersales/api-client';
import { ESCALATABLE, lineTotals, openEscalation } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useSession, useStore } from '../app/session.tsx';
import { FileClaimActions } from '../claims/FileClaim.tsx';
import { ConflictNotice, isVersionConflict, useVersionedRecord } from '../components/conflict.tsx';
import { TextField } from '../components/forms.tsx';
import { HistoryList } from '../components/HistoryList.tsx';
import { Badge, ErrorNotice, Facts, Loading, Notice, PageHeader, Plate, Section } from '../components/ui.tsx';
import { customerName } from '../customers/api.ts';
import { useI18n } from '../i18n/index.tsx';
import { LemonBanner, UncodedFaultsNotice } from '../lemon-law/index.ts';
import { EscalatedBadge, EscalationButton, EscalationNotes } from '../workshop/Escalation.tsx';
import {
  addLine,
  deliver,
  getRepairOrder,
  issueQuote,
  type JobLine,
  type RepairOrder,
  repairOrderHistory,
  setLineWork,
  settle,
  transitionRepairOrder,
} from './api.ts';
import { DeliveryFormSection, SettlementFacts, SettlementForm } from './Handover.tsx';
import { LineEditor } from './LineEditor.tsx';
import { PRINT_DOCS } from './print-docs.ts';
import { CounterApproval, QuoteVersions, RemoteApproval } from './Quotes.tsx';
import { fen, Lateness, LineStatusBadge, nameIn, StatusBadge } from './shared.tsx';
import { WalkAroundPanel } from './walk-around/WalkAroundPanel.tsx';

/** Lines whose work the advisor may still write: not yet started by the workshop. */
const EDITABLE: readonly JobLine['status'][] = ['proposed', 'awaiting_approval', 'approved', 'declined'];
const OPEN_FOR_WORK: readonly RepairOrder['status'][] = ['settled', 'delivered', 'cancelled'];

/**
 * 维修工单: the header, concerns, job lines with their editor, quotes and the counter approval, then
 * settlement, delivery, the printable documents and the history.
 */
export function RepairOrderPage({ repairOrderId }: { repairOrderId: string }) {
  const { t, m, dateTime, number, locale } = useI18n();
  const { api, can, href } = useStore();
  const { me } = useSession();
  const record = useVersionedRecord(
    useCallback(() => getRepairOrder(api, repairOrderId), [api, repairOrderId]),
  );
  const reload = () => void record.reload();
  const [editing, setEditing] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const nameOf = useCallback((id: string) => customerName(api, id), [api]);
  const loadHistory = useCallback(
    (cursor?: string) => repairOrderHistory(api, repairOrderId, cursor),
    [api, repairOrderId],
  );

  if (record.error) return <ErrorNotice error={record.error} onRetry={reload} />;
  if (!record.data) return <Loading />;
  const ro = record.data.data;
  const write = can('repair_order:write');
  const open = !OPEN_FOR_WORK.includes(ro.status);

  /** A change at the loaded version; a refusal other than a conflict shows on the page. */
  const act = async (fn: (etag: string) => Promise<unknown>) => {
    setFailure(null);
    try {
      await record.change(fn);
    } catch (err) {
      if (!isVersionConflict(err)) setFailure(err);
    }
  };
  /** The line editor's save: its own form shows a refusal, the page a conflict. */
  const saveLine = (lineId: string | null) => async (work: Schemas['LineWorkRequest']) => {
    await record.change((etag) =>
      lineId ? setLineWork(api, ro.id, lineId, work, etag) : addLine(api, ro.id, work, etag),
    );
  };
  const advisor = ro.advisorId === me.user.id ? me.user.displayName : undefined;

  return (
    <div class="page">
      <PageHeader
        back={{ href: href('repair-orders'), label: t('ro.back') }}
        title={
          <>
            <Plate plate={ro.plate} /> {ro.customerName} <StatusBadge status={ro.status} />
          </>
        }
        subtitle={`${t('ro.detailTitle')} ${ro.id}`}
        actions={PRINT_DOCS.map((doc) => (
          <Link key={doc} class="btn btn-small" href={href(`repair-orders/${ro.id}/print/${doc}`)}>
            {t('ro.print')} · {m.roDocs[doc]}
          </Link>
        ))}
      />
      {record.stale && <ConflictNotice text={t('ro.reloaded')} onReload={reload} />}
      {failure !== null && <ErrorNotice error={failure} />}
      <LemonBanner vehicleId={ro.vehicleId} />
      {write && ro.status !== 'delivered' && <UncodedFaultsNotice lines={ro.lines} />}
      <Section title={t('ro.header')}>
        <Facts
          items={[
            [t('ro.customer'), <Link href={href(`customers/${ro.customerId}`)}>{ro.customerName}</Link>],
            [
              t('ro.plate'),
              <Link href={href(`vehicles/${ro.vehicleId}`)}>
                <Plate plate={ro.plate} />
              </Link>,
            ],
            [t('ro.advisor'), advisor],
            [t('ro.status'), <StatusBadge status={ro.status} />],
            [
              t('ro.promised'),
              <>
                {dateTime(ro.promisedAt)} <Lateness ro={ro} />
              </>,
            ],
            [t('ro.odometer'), number(ro.odometerKm)],
            [t('ro.fuel'), t('ro.fuelOf', { n: ro.fuelLevel })],
            [
              t('ro.source'),
              ro.source.kind === 'booking' ? (
                <Link href={href(`appointments/${ro.source.appointmentId}`)}>{t('ro.booking')}</Link>
              ) : (
                t('ro.walkIn')
              ),
            ],
            ...(ro.accident
              ? ([[t('ro.accident'), `${ro.accident.insurer} · ${ro.accident.claimNumber}`]] as [
                  string,
                  string,
                ][])
              : []),
            ...(ro.cancelReason
              ? ([[t('ro.cancelled', { reason: ro.cancelReason }), '']] as [string, string][])
              : []),
          ]}
        />
        <h3>{t('ro.concerns')}</h3>
        <ol>
          {ro.concerns.map((c) => (
            <li key={c.id}>{c.words}</li>
          ))}
        </ol>
        {write && (ro.status === 'checked_in' || ro.status === 'diagnosing') && (
          <div class="form-actions">
            {ro.status === 'checked_in' && (
              <button
                type="button"
                class="btn btn-primary"
                onClick={() =>
                  void act((etag) => transitionRepairOrder(api, ro.id, { to: 'diagnosing' }, etag))
                }
              >
                {t('ro.startDiagnosis')}
              </button>
            )}
            <button type="button" class="btn btn-danger" onClick={() => setCancelling(!cancelling)}>
              {t('ro.cancelOrder')}
            </button>
          </div>
        )}
        {cancelling && (
          <form
            class="form inline-confirm"
            onSubmit={(e) => {
              e.preventDefault();
              void act((etag) => transitionRepairOrder(api, ro.id, { to: 'cancelled', reason }, etag)).then(
                () => setCancelling(false),
              );
            }}
          >
            <TextField
              label={t('ro.cancelReason')}
              value={reason}
              onValue={setReason}
              required
              maxLength={300}
            />
            <button type="submit" class="btn btn-danger" disabled={reason.trim() === ''}>
              {t('ro.confirmCancel')}
            </button>
          </form>
        )}
      </Section>
      <WalkAroundPanel storeId={api.storeId} repairOrderId={ro.id} />
      <Section
        title={t('ro.lines')}
        actions={
          write &&
          open &&
          editing === null && (
            <button type="button" class="btn" onClick={() => setEditing('')}>
              {t('ro.addLine')}
            </button>
          )
        }
      >
        {ro.lines.length === 0 && <p class="muted">{t('ro.noLines')}</p>}
        {ro.lines.map((l) => (
          <div key={l.id} class={l.origin === 'add_on' ? 'job-line add-on' : 'job-line'}>
            <h3>
              {t('ro.line', { id: l.id })} <LineStatusBadge status={l.status} />{' '}
              {openEscalation(l) && <EscalatedBadge />}
              {l.origin === 'add_on' && <Badge kind="warning">{t('ro.addOn')}</Badge>}
            </h3>
            {l.origin === 'add_on' && l.status === 'awaiting_approval' && (
              <p class="hint">{t('ro.addOnHint')}</p>
            )}
            <Facts
              items={[
                [t('ro.complaint'), l.complaint],
                [t('ro.cause'), l.cause],
                [t('ro.correction'), l.correction],
                [t('ro.payer'), m.payers[l.payer]],
                [
                  t('ro.labour'),
                  l.labour
                    .map((o) => `${o.code} ${nameIn(locale, o.name)} ${(o.tenths / 10).toFixed(1)} h`)
                    .join('、'),
                ],
                [
                  t('ro.parts'),
                  l.parts.map((p) => `${p.partNumber} ${nameIn(locale, p.name)} ×${p.quantity}`).join('、'),
                ],
                [
                  t('ro.consumables'),
                  l.consumables.map((c) => `${c.name} ${fen(c.amount.amountMinor)}`).join('、'),
                ],
                [t('ro.discount'), l.discountBp ? `${l.discountBp / 100}%` : undefined],
                [t('ro.subtotal'), fen(lineTotals(l).net)],
              ]}
            />
            {(l.escalations?.length ?? 0) > 0 && (
              <>
                <h4>{t('ws.escalations')}</h4>
                <EscalationNotes escalations={l.escalations ?? []} />
              </>
            )}
            {open && (
              <div class="actions">
                {can('repair_order:escalate') && !openEscalation(l) && ESCALATABLE.has(l.status) && (
                  <EscalationButton
                    line={{ repairOrderId: ro.id, lineId: l.id }}
                    kind="ask"
                    onDone={reload}
                  />
                )}
                {can('repair_order:consult') && openEscalation(l) && (
                  <EscalationButton
                    line={{ repairOrderId: ro.id, lineId: l.id }}
                    kind="answer"
                    onDone={reload}
                  />
                )}
              </div>
            )}
            {write && open && EDITABLE.includes(l.status) && editing !== l.id && (
              <button type="button" class="btn btn-small" onClick={() => setEditing(l.id)}>
                {t('ro.editLine', { id: l.id })}
              </button>
            )}
            {editing === l.id && (
              <LineEditor
                key={`${l.id}-${ro.version}`}
                line={l}
                stale={record.stale}
                onReload={reload}
                save={saveLine(l.id)}
                onClose={() => setEditing(null)}
              />
            )}
          </div>
        ))}
        {editing === '' && (
          <LineEditor
            stale={record.stale}
            onReload={reload}
            save={saveLine(null)}
            onClose={() => setEditing(null)}
          />
        )}
      </Section>
      <Section
        title={t('ro.quotes')}
        actions={
          write &&
          open &&
          ro.lines.some((l) => l.status === 'proposed') && (
            <button
              type="button"
              class="btn btn-primary"
              onClick={() => void act((etag) => issueQuote(api, ro.id, etag))}
            >
              {t('ro.issueQuote')}
            </button>
          )
        }
      >
        <QuoteVersions ro={ro} />
        {ro.approvals.length > 0 && (
          <>
            <h3>{t('ro.approvals')}</h3>
            <ul class="plain-list">
              {ro.approvals.map((a) => (
                <li key={`${a.quoteVersion}-${a.at}`}>
                  {t('ro.approvalOf', {
                    n: a.quoteVersion,
                    name: a.approverName,
                    method: m.roApprovalMethods[a.method],
                    at: dateTime(a.at),
                  })}
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
      {can('repair_order:approve') && <CounterApproval key={ro.version} ro={ro} onDone={record.reload} />}
      {can('repair_order:approve') && <RemoteApproval key={ro.version} ro={ro} />}
      {ro.status === 'ready' && can('repair_order:settle') && (
        <SettlementForm
          key={ro.version}
          ro={ro}
          settle={(input) => record.change((etag) => settle(api, ro.id, input, etag))}
        />
      )}
      {ro.settlement && <SettlementFacts settlement={ro.settlement} />}
      {ro.status === 'settled' && can('repair_order:settle') && (
        <DeliveryFormSection
          ro={ro}
          deliver={(input) => record.change((etag) => deliver(api, ro.id, input, etag))}
        />
      )}
      {ro.delivery && (
        <Notice kind="success">
          {t('ro.delivered', { at: dateTime(ro.delivery.by.at) })}
          {ro.delivery.lemonLaw &&
            ` ${t('ro.lemonLawDays', {
              parts: ro.delivery.lemonLaw.excludedPartWaitDays,
              battery: ro.delivery.lemonLaw.batteryShippingDays,
              loaner: ro.delivery.lemonLaw.loanerDays,
            })}`}
        </Notice>
      )}
      <FileClaimActions ro={ro} />
      <Section title={t('ro.history')}>
        <HistoryList load={loadHistory} nameOf={nameOf} />
      </Section>
    </div>
  );
}
