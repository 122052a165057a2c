import {
  Skill,
  StoreRole,
  TechnicianLevel,
  type Weekday,
  Weekday as Weekdays,
  type WeeklyShifts,
} from '@aftersales/domain';
import { Checkbox, SelectField, TextField } from '../components/forms.tsx';
import { useI18n } from '../i18n/index.tsx';

/** A shift as typed: two times, both empty for a day off. */
type TypedShifts = Record<Weekday, { start: string; end: string }>;

/** The parts of a person the manager edits, as the form holds them. */
export interface StaffForm {
  roles: StoreRole[];
  level: TechnicianLevel | '';
  skills: Skill[];
  shifts: TypedShifts;
}

export function formOf(s: {
  roles: StoreRole[];
  level?: TechnicianLevel;
  skills: Skill[];
  shifts: WeeklyShifts;
}): StaffForm {
  const shifts = Object.fromEntries(
    Weekdays.options.map((d) => [d, { start: s.shifts[d]?.start ?? '', end: s.shifts[d]?.end ?? '' }]),
  ) as TypedShifts;
  return { roles: s.roles, level: s.level ?? '', skills: s.skills, shifts };
}

export const EMPTY_FORM: StaffForm = formOf({ roles: ['technician'], skills: [], shifts: {} });

/** Typed shifts → the record's: a day with either time typed is a shift (the schema checks it). */
export function shiftsOf(form: StaffForm): WeeklyShifts {
  return Object.fromEntries(
    Weekdays.options
      .filter((d) => form.shifts[d].start.trim() !== '' || form.shifts[d].end.trim() !== '')
      .map((d) => [d, { start: form.shifts[d].start.trim(), end: form.shifts[d].end.trim() }]),
  );
}

/** The order the form's error summary lists problems in. */
export const FIELD_ORDER = [
  'roles',
  'level',
  'skills',
  ...Weekdays.options.flatMap((d) => [`shifts.${d}.start`, `shifts.${d}.end`]),
];

const toggled = <T,>(list: readonly T[], value: T, on: boolean) =>
  on ? [...list, value] : list.filter((v) => v !== value);

/** Roles, level, skills and shifts: the same controls when adding a person and when editing them. */
export function StaffFields({ form, onForm }: { form: StaffForm; onForm: (f: StaffForm) => void }) {
  const { t, m } = useI18n();
  return (
    <>
      <fieldset class="field" data-field="roles">
        <legend>{t('staff.roles')}</legend>
        {StoreRole.options.map((r) => (
          <Checkbox
            key={r}
            label={m.roles[r]}
            checked={form.roles.includes(r)}
            onValue={(on) => onForm({ ...form, roles: toggled(form.roles, r, on) })}
          />
        ))}
      </fieldset>
      <SelectField<TechnicianLevel | ''>
        label={t('staff.level')}
        value={form.level}
        options={[
          { value: '', label: t('staff.noLevel') },
          ...TechnicianLevel.options.map((v) => ({ value: v, label: m.techLevels[v] })),
        ]}
        onValue={(level) => onForm({ ...form, level })}
      />
      <fieldset class="field">
        <legend>{t('staff.skills')}</legend>
        {Skill.options.map((s) => (
          <Checkbox
            key={s}
            label={m.skills[s]}
            checked={form.skills.includes(s)}
            onValue={(on) => onForm({ ...form, skills: toggled(form.skills, s, on) })}
          />
        ))}
      </fieldset>
      <fieldset class="field">
        <legend>{t('staff.shifts')}</legend>
        <p class="muted">{t('staff.shiftHint')}</p>
        <div class="grid-2">
          {Weekdays.options.map((d) => (
            <>
              <TextField
                key={`${d}-start`}
                label={t('staff.shiftStart', { day: m.weekdays[d] })}
                value={form.shifts[d].start}
                maxLength={5}
                field={`shifts.${d}.start`}
                onValue={(start) =>
                  onForm({ ...form, shifts: { ...form.shifts, [d]: { ...form.shifts[d], start } } })
                }
              />
              <TextField
                key={`${d}-end`}
                label={t('staff.shiftEnd', { day: m.weekdays[d] })}
                value={form.shifts[d].end}
                maxLength={5}
                field={`shifts.${d}.end`}
                onValue={(end) =>
                  onForm({ ...form, shifts: { ...form.shifts, [d]: { ...form.shifts[d], end } } })
                }
              />
            </>
          ))}
        </div>
      </fieldset>
    </>
  );
}
