import { Assembly, FaultSystem, type WarrantyProblemInput } from '@aftersales/domain';
import { Checkbox, SelectField, TextField } from '../components/forms.tsx';
import { Notice } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { RowList } from '../setup/RowList.tsx';

type SystemName = FaultSystem | '';

/** A line's fault as the editor holds it: everything as typed, `''` for not chosen. */
export interface FaultForm {
  system: SystemName;
  code: string;
  seriousSafety: boolean;
  assembly: Assembly | '';
  mainParts: { system: FaultSystem; part: string }[];
}

/** The payers whose lines the 三包 counters count: only their lines are coded. */
export const CODED_PAYERS: readonly string[] = ['warranty', 'goodwill'];

export function faultFormOf(fault: WarrantyProblemInput | undefined): FaultForm {
  return {
    system: fault?.system ?? '',
    code: fault?.code ?? '',
    seriousSafety: fault?.seriousSafety ?? false,
    assembly: fault?.assemblyReplaced ?? '',
    mainParts: (fault?.mainPartsReplaced ?? []).map((p) => ({ system: p.system, part: p.part })),
  };
}

/**
 * The form as the line's `fault`, or nothing while neither a system nor a code is given (a line not yet
 * coded). A half-coded fault is sent as it is, so its missing field is the field error it should be.
 */
export function faultOf(f: FaultForm): { fault?: WarrantyProblemInput } {
  if (f.system === '' && f.code.trim() === '') return {};
  return {
    fault: {
      system: f.system as FaultSystem,
      code: f.code,
      seriousSafety: f.seriousSafety,
      ...(f.assembly ? { assemblyReplaced: f.assembly } : {}),
      mainPartsReplaced: f.mainParts,
    },
  };
}

/** The field paths in the order the form shows them (for focusing the first error). */
export const faultFieldOrder = (f: FaultForm) => [
  'fault.system',
  'fault.code',
  'fault.assemblyReplaced',
  ...f.mainParts.flatMap((_, i) => [
    `fault.mainPartsReplaced.${i}.system`,
    `fault.mainPartsReplaced.${i}.part`,
  ]),
];

/** 故障编码: system, defect code, serious safety fault, assembly and main parts replaced. */
export function FaultFields({ value, onValue }: { value: FaultForm; onValue: (f: FaultForm) => void }) {
  const { t, m } = useI18n();
  const set = <K extends keyof FaultForm>(key: K, v: FaultForm[K]) => onValue({ ...value, [key]: v });
  const systems = m.faultSystems as Record<SystemName, string>;
  return (
    <fieldset class="field" data-testid="fault-fields">
      <legend>{t('lemon.fault')}</legend>
      <p class="hint">{t('lemon.faultHint')}</p>
      <div class="grid-3">
        <SelectField<SystemName>
          label={t('lemon.faultSystem')}
          field="fault.system"
          value={value.system}
          options={(['', ...FaultSystem.options] as SystemName[]).map((s) => ({
            value: s,
            label: systems[s],
          }))}
          onValue={(v) => set('system', v)}
        />
        <TextField
          label={t('lemon.defectCode')}
          field="fault.code"
          value={value.code}
          onValue={(v) => set('code', v)}
          maxLength={30}
        />
        <SelectField<Assembly | ''>
          label={t('lemon.assemblyReplaced')}
          field="fault.assemblyReplaced"
          value={value.assembly}
          options={[
            { value: '', label: t('lemon.noAssembly') },
            ...Assembly.options.map((a) => ({ value: a, label: systems[a] })),
          ]}
          onValue={(v) => set('assembly', v)}
        />
      </div>
      <Checkbox
        label={t('lemon.seriousSafety')}
        checked={value.seriousSafety}
        onValue={(v) => set('seriousSafety', v)}
      />
      <RowList<FaultForm['mainParts'][number]>
        rows={value.mainParts}
        onRows={(rows) => set('mainParts', rows)}
        blank={() => ({ system: value.system === '' ? 'other' : value.system, part: '' })}
        addLabel={t('lemon.addMainPart')}
        removeLabel={(i) => t('lemon.removeMainPart', { n: i + 1 })}
        empty={t('lemon.noMainParts')}
        render={(row, i, setRow) => (
          <>
            <SelectField<FaultSystem>
              label={t('lemon.mainPartSystem', { n: i + 1 })}
              field={`fault.mainPartsReplaced.${i}.system`}
              value={row.system}
              options={FaultSystem.options.map((s) => ({ value: s, label: systems[s] }))}
              onValue={(system) => setRow({ system })}
            />
            <TextField
              class="grow"
              label={t('lemon.mainPart', { n: i + 1 })}
              field={`fault.mainPartsReplaced.${i}.part`}
              value={row.part}
              onValue={(part) => setRow({ part })}
              maxLength={60}
            />
          </>
        )}
      />
    </fieldset>
  );
}

/** Lines worked on under warranty or goodwill that carry no coded fault (the domain's `uncodedWarrantyLines`). */
const NOT_WORKED: readonly string[] = ['proposed', 'awaiting_approval', 'declined'];

/**
 * Names the warranty and goodwill lines whose fault is not coded: the 三包 counters cannot see them, so
 * the advisor codes them before delivery. Nothing when every such line is coded.
 */
export function UncodedFaultsNotice({
  lines,
}: {
  lines: readonly { id: string; payer: string; status: string; fault?: unknown }[];
}) {
  const { t } = useI18n();
  const uncoded = lines.filter(
    (l) => CODED_PAYERS.includes(l.payer) && !NOT_WORKED.includes(l.status) && !l.fault,
  );
  if (uncoded.length === 0) return null;
  return <Notice kind="info">{t('lemon.uncoded', { lines: uncoded.map((l) => l.id).join(', ') })}</Notice>;
}
