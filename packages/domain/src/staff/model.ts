import * as z from 'zod';
import { defineCapability, type FigureGroup } from '../platform/capability.ts';
import { filledText, Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { patchSchema } from '../platform/patch.ts';
import { StoreRole } from '../platform/tenancy.ts';
import { Email, Phone } from '../registry/model.ts';
import { perWeekday, Skill, timeSpan } from '../setup/model.ts';

/**
 * 人员: the people of a store's after-sales department, kept by its manager. A staff record lives in the
 * store's partition (versioned, audited); the sign-in account and its memberships live in the identity
 * provider and the platform directory, which follow the record (the API's `IdentityAdmin`).
 */

/** 技师等级: the three grades of a mechanic, and the body-and-paint (钣喷) technician. */
export const TechnicianLevel = z.enum(['senior', 'mid', 'junior', 'body_paint']);
export type TechnicianLevel = z.infer<typeof TechnicianLevel>;

/** Field-error code of a shift that ends before it starts. */
export const SHIFT_ENDS_BEFORE_START = 'SHIFT_ENDS_BEFORE_START';

/** One day's shift, store-local times (the store's opening hours bound what it is booked against). */
export const Shift = timeSpan('start', 'end', 'A shift ends after it starts.', SHIFT_ENDS_BEFORE_START);
export type Shift = z.infer<typeof Shift>;

/** Shifts per weekday; a day left out is a day off. */
export const WeeklyShifts = perWeekday(Shift);
export type WeeklyShifts = z.infer<typeof WeeklyShifts>;

/** A sign-in name: lower-case letters, digits, `.`, `_`, `-` (the pool's and the directory's username). */
export const Username = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'Use 3–40 lower-case letters, digits, ".", "_" or "-".'))
  .meta({ example: 'tech.wang' });

/** The roles a manager grants in their store: store roles only, at least one, no repeats. */
export const StaffRoles = z
  .array(StoreRole)
  .check(z.minLength(1, 'Give at least one role.'), z.maxLength(StoreRole.options.length))
  .transform((roles) => StoreRole.options.filter((r) => roles.includes(r)));

export const StaffStatus = z.enum(['active', 'disabled', 'removed']);
export type StaffStatus = z.infer<typeof StaffStatus>;

/** A person as the manager adds them (新增人员): the account is created with an invitation. */
export const StaffInput = z.strictObject({
  username: Username,
  displayName: filledText(60, 'A name is required.'),
  email: Email,
  phone: Phone.shape.number.optional(),
  roles: StaffRoles,
  level: TechnicianLevel.optional(),
  skills: z
    .array(Skill)
    .check(z.maxLength(Skill.options.length))
    .transform((skills) => Skill.options.filter((s) => skills.includes(s)))
    .default([]),
  shifts: WeeklyShifts.default({}),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type StaffInput = z.input<typeof StaffInput>;
export type StaffFields = z.output<typeof StaffInput>;

/**
 * Changes to a person: anything but the username (the sign-in name) and the e-mail the invitation went
 * to (Cognito verifies a new one); status changes have their own operations.
 */
export const StaffPatch = patchSchema(StaffInput.omit({ username: true, email: true, locale: true }).shape);
export type StaffPatch = z.output<typeof StaffPatch>;

/** The staff record: its id is the user's directory id, so the two never need a look-up to meet. */
export const Staff = z.object({
  ...StaffInput.shape,
  skills: z.array(Skill),
  shifts: WeeklyShifts,
  id: RequiredText,
  storeId: RequiredText,
  status: StaffStatus,
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Staff = z.infer<typeof Staff>;

/** Staff as read: the phone masked for every role but the manager's (staff phones are staff PII). */
export const StaffView = Staff.extend({
  phoneMasked: z.boolean().meta({ description: 'True when `phone` shows only its last digits.' }),
});
export type StaffView = z.infer<typeof StaffView>;

/** The answer to an invitation: the record, and locally (the dev IdP only) the temporary password. */
export const StaffInvitation = StaffView.extend({
  temporaryPassword: trimmedText(100).optional().meta({
    description:
      'Only from the local development identity provider; in AWS Cognito e-mails it to the user and the API never sees it.',
  }),
});

/** The HQ home's column headings: head count by role (人数). */
const HEAD_COUNT_LABELS: Record<StoreRole, { en: string; 'zh-CN': string }> = {
  service_manager: { en: 'Managers', 'zh-CN': '经理' },
  technical_director: { en: 'Technical directors', 'zh-CN': '技术总监' },
  workshop_manager: { en: 'Workshop managers', 'zh-CN': '车间主任' },
  front_desk_supervisor: { en: 'Front-desk supervisors', 'zh-CN': '前台主管' },
  service_advisor: { en: 'Advisors', 'zh-CN': '服务顾问' },
  customer_service: { en: 'Customer service', 'zh-CN': '客服' },
  claims_specialist: { en: 'Claims', 'zh-CN': '索赔' },
  parts_manager: { en: 'Parts managers', 'zh-CN': '配件经理' },
  parts_clerk: { en: 'Parts clerks', 'zh-CN': '配件专员' },
  warehouse_keeper: { en: 'Warehouse', 'zh-CN': '库管' },
  technician: { en: 'Technicians', 'zh-CN': '技师' },
};

/** The head counts are one HQ column, staff (人数), which opens into one per role. */
const HEAD_COUNT_GROUP = { key: 'staff', label: { en: 'Staff', 'zh-CN': '人数' } };

const Roles = z.array(StoreRole);

/** 人员: who reads the staff list and who keeps it; HQ sees only head counts (HQ figures). */
export const STAFF = defineCapability({
  aggregates: { staff: ['disable', 'enable', 'remove'] },
  events: {
    'staff.added': z.object({ staffId: RequiredText, roles: Roles }),
    'staff.updated': z.object({
      staffId: RequiredText,
      fields: z.array(z.string()),
      /** Roles counted before and after (an inactive person counts none). */
      countedBefore: Roles,
      countedAfter: Roles,
    }),
    'staff.statusChanged': z.object({
      staffId: RequiredText,
      status: StaffStatus,
      countedBefore: Roles,
      countedAfter: Roles,
    }),
  },
  permissions: {
    // Those who plan the day and dispatch work see who is on; the phone stays the manager's.
    'staff:read': [
      'service_manager',
      'technical_director',
      'workshop_manager',
      'front_desk_supervisor',
      'service_advisor',
    ],
    'staff:manage': ['service_manager'],
  },
  figures: {
    figures: Object.fromEntries(
      StoreRole.options.map((role) => [
        headCountFigure(role),
        { label: HEAD_COUNT_LABELS[role], group: HEAD_COUNT_GROUP },
      ]),
    ) as Record<HeadCountFigure, { label: { en: string; 'zh-CN': string }; group: FigureGroup }>,
    on: {
      'staff.added': (e) => roleDelta([], e.data.roles),
      'staff.updated': (e) => roleDelta(e.data.countedBefore, e.data.countedAfter),
      'staff.statusChanged': (e) => roleDelta(e.data.countedBefore, e.data.countedAfter),
    },
  },
});

export type HeadCountFigure = `staff_${StoreRole}`;
export function headCountFigure(role: StoreRole): HeadCountFigure {
  return `staff_${role}`;
}

/** What a change of counted roles adds to each role's head count (a removal adds −1). */
function roleDelta(before: readonly StoreRole[], after: readonly StoreRole[]) {
  const delta: Partial<Record<HeadCountFigure, number>> = {};
  for (const role of StoreRole.options) {
    const d = Number(after.includes(role)) - Number(before.includes(role));
    if (d !== 0) delta[headCountFigure(role)] = d;
  }
  return delta;
}
