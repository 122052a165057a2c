import type { ComponentChildren } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { SelectField } from '../components/forms.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, Notice, PageHeader, Plate, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getStoreSetup } from '../setup/api.ts';
import { type BoardTechnician, dispatchLine } from './api.ts';
import { type CardLine, linesWhere, useBoard } from './board.ts';
import { CheckButtons, LineStatus, lineName, useAction } from './shared.tsx';

type Bay = { id: string; name: string };

/**
 * 派工 · 检验: the workshop manager's desk. Approved lines waiting for a technician, each given to one
 * (the server refuses a technician without the skill or level) and a bay; lines whose self or team
 * check is done, waiting for the next check.
 */
export function DispatchPage() {
  const { t } = useI18n();
  const { api, can } = useStore();
  const live = useBoard();
  const setup = useLoad(useCallback(() => getStoreSetup(api), [api]));
  const bays = (setup.data?.data.bays ?? []).filter((b) => b.active !== false);
  const toGive = linesWhere(live.board, (l) => l.status === 'approved');
  const toCheck = linesWhere(live.board, (l) => l.status === 'self_checked' || l.status === 'team_checked');
  const technicians = live.board?.technicians ?? [];
  // Said above the list: the line given leaves it.
  const [given, setGiven] = useState('');

  return (
    <div class="page page-wide">
      <PageHeader title={t('ws.dispatchTitle')} />
      {live.error !== null && <ErrorNotice error={live.error} onRetry={() => void live.reload()} />}
      {setup.error !== null && <ErrorNotice error={setup.error} onRetry={() => void setup.reload()} />}
      {!live.board && live.error === null && <Loading />}
      {live.board && (
        <Section title={t('ws.toDispatch')}>
          {given && <Notice kind="success">{given}</Notice>}
          {toGive.length === 0 && <p class="muted">{t('ws.nothingToDispatch')}</p>}
          {toGive.map((x) => (
            <GiveLine
              key={`${x.card.repairOrderId}/${x.line.lineId}`}
              item={x}
              technicians={technicians}
              bays={bays}
              onDone={live.reload}
              onGiven={setGiven}
            />
          ))}
        </Section>
      )}
      {live.board && can('repair_order:check') && (
        <Section title={t('ws.toCheck')}>
          {toCheck.length === 0 && <p class="muted">{t('ws.nothingToCheck')}</p>}
          {toCheck.map((x) => (
            <LineBox key={`${x.card.repairOrderId}/${x.line.lineId}`} item={x}>
              <CheckButtons
                item={x}
                stage={x.line.status === 'self_checked' ? 'team' : 'final'}
                onDone={live.reload}
              />
            </LineBox>
          ))}
        </Section>
      )}
    </div>
  );
}

/** One line of one order, named by the car's plate and the line (what a screen reader announces). */
function LineBox({ item, children }: { item: CardLine; children: ComponentChildren }) {
  const name = `${item.card.plate ?? item.card.repairOrderId} ${lineName(item.line)}`;
  return (
    <section class="ws-line-box" aria-label={name}>
      <div class="actions">
        <Plate plate={item.card.plate} />
        <strong>{lineName(item.line)}</strong>
        <LineStatus line={item.line} />
      </div>
      {children}
    </section>
  );
}

function GiveLine({
  item,
  technicians,
  bays,
  onDone,
  onGiven,
}: {
  item: CardLine;
  technicians: readonly BoardTechnician[];
  bays: readonly Bay[];
  onDone: () => unknown;
  onGiven: (text: string) => void;
}) {
  const { t } = useI18n();
  const { api } = useStore();
  const [technicianId, setTechnicianId] = useState('');
  const [bayId, setBayId] = useState('');
  const action = useAction(onDone);
  const plate = item.card.plate ?? item.card.repairOrderId;
  const line = lineName(item.line);
  const give = async () => {
    const name = technicians.find((x) => x.technicianId === technicianId)?.name ?? technicianId;
    const ok = await action.run(() =>
      dispatchLine(
        api,
        { repairOrderId: item.card.repairOrderId, lineId: item.line.lineId },
        { technicianId, ...(bayId ? { bayId } : {}) },
      ),
    );
    if (ok) onGiven(t('ws.given', { line, plate, name }));
  };
  return (
    <LineBox item={item}>
      {action.notice}
      <div class="grid-3">
        <SelectField
          label={t('ws.technician')}
          value={technicianId}
          options={[
            { value: '', label: t('ws.chooseTechnician') },
            ...technicians.map((x) => ({
              value: x.technicianId,
              label: `${x.name} · ${x.on.length > 0 ? t('ws.clockedOn') : t('ws.free')} · ${t('ws.queued', { count: x.queued })}`,
            })),
          ]}
          onValue={setTechnicianId}
        />
        <SelectField
          label={t('ws.bay')}
          value={bayId}
          options={[
            { value: '', label: t('ws.noBay') },
            ...bays.map((b) => ({ value: b.id, label: `${b.id} ${b.name}` })),
          ]}
          onValue={setBayId}
        />
      </div>
      <button
        type="button"
        class="btn btn-primary"
        disabled={action.busy || !technicianId}
        onClick={() => void give()}
      >
        {t('ws.giveOf', { line, plate })}
      </button>
    </LineBox>
  );
}
