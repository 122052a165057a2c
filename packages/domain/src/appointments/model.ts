import * as z from 'zod';
import { defineCapability } from '../platform/capability.ts';
import { Count, filledText, Instant, RequiredText, trimmedText, Version } from '../platform/fields.ts';
import { Money } from '../platform/money.ts';
import { patchSchema } from '../platform/patch.ts';
import { Phone, PlateText } from '../registry/model.ts';
import { BayType, Bilingual, LocalTime, OpCode } from '../setup/model.ts';

/**
 * 预约: a customer's booking of workshop time. It takes labour hours of its bay types from the day's
 * capacity (产能), moves requested → confirmed → checked-in / no-show / cancelled, and is what reception
 * (接待) starts a repair order from. DOMAIN.md § The service workflow, step 1.
 */

export const IsoDate = z.iso.date({ error: 'Use a date like 2026-10-01.' });

/** 预约状态. `requested` comes from the public page (or a phone call not yet confirmed). */
export const AppointmentStatus = z.enum(['requested', 'confirmed', 'checked_in', 'no_show', 'cancelled']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

/** Where the booking came from (预约渠道): the desk, a phone call, the public booking page. */
export const AppointmentChannel = z.enum(['desk', 'phone', 'online']);
export type AppointmentChannel = z.infer<typeof AppointmentChannel>;

/**
 * Labour in tenths of an hour: flat-rate hours come in steps of 0.1 h, and integer tenths add up
 * exactly in capacity counters (a float sum of 0.1s drifts and would refuse or admit a booking wrongly).
 */
export const Tenths = Count;

/** Tenths of an hour per bay type: a booking's load, a day's capacity or what is booked of it. */
export const BayLoad = z.partialRecord(BayType, Tenths);
export type BayLoad = z.infer<typeof BayLoad>;

/** Hours as clients read them (1.5), from tenths (15). */
export const Hours = z.number().check(z.nonnegative()).meta({ description: 'Hours, in steps of 0.1.' });

/** 先急后缓: a safety fault that may be booked into a full day, with the reason recorded. */
export const UrgentFault = z.enum(['brakes', 'engine', 'steering', 'tyres', 'lights', 'electrical', 'other']);
export const Urgency = z.strictObject({
  fault: UrgentFault,
  reason: filledText(300, 'Say why it cannot wait.'),
});
export type Urgency = z.infer<typeof Urgency>;

/** A part the booking needs (pre-picked the day before, 备件); stock status joins with the parts issue. */
export const AppointmentPart = z.strictObject({
  partNumber: filledText(40),
  name: trimmedText(80).optional(),
  quantity: z.int().check(z.gte(1), z.lte(999)),
});

/** One requested labour operation, as the catalogue gave it when booked (its hours for the model). */
export const AppointmentLine = z.object({
  labourOpId: RequiredText,
  code: OpCode,
  name: Bilingual,
  tenths: Tenths,
  bayType: BayType,
});
export type AppointmentLine = z.infer<typeof AppointmentLine>;

/**
 * Work the customer describes in their own words (客户描述), before anyone can name an operation: the
 * advisor's estimate of its hours and bay, one general hour unless they say otherwise.
 */
export const ConcernEstimate = z.strictObject({
  hours: z
    .number()
    .check(z.gte(0.1), z.lte(40), z.multipleOf(0.1, 'Give hours in steps of 0.1.'))
    .meta({ multipleOf: 0.1, example: 1 }),
  bayType: BayType,
});

/** 三包 warning at booking (filled by the warranty-claims capability; empty until then). */
export const WarrantyWarning = z.object({ code: RequiredText, message: RequiredText });

/** A slot: the store-local day and wanted time (预约时间). */
const Slot = { date: IsoDate, time: LocalTime };

/** What a booking asks for: labour ops from the catalogue, the customer's own words, or both. */
const Work = {
  labourOpIds: z.array(RequiredText).check(z.maxLength(20)).default([]),
  concern: trimmedText(500).optional(),
  /** The estimate of the concern's work; absent, one hour in a general bay. */
  concernEstimate: ConcernEstimate.optional(),
  parts: z.array(AppointmentPart).check(z.maxLength(30)).default([]),
  /** Paper codes from the set-up the customer is asked to bring; absent: every paper the store lists. */
  papers: z.array(RequiredText).check(z.maxLength(30)).optional(),
  note: trimmedText(500).optional(),
};

/** Field-error code of a booking with neither a labour operation nor the customer's words. */
export const NO_WORK = 'NO_WORK';

function requireWork<T extends { labourOpIds: string[]; concern?: string | undefined }>(
  schema: z.ZodType<T>,
) {
  return schema.check(
    z.superRefine((b, ctx) => {
      if (b.labourOpIds.length === 0 && !b.concern)
        ctx.addIssue({
          code: 'custom',
          path: ['concern'],
          message: 'Name a labour operation or write what the customer asks for.',
          params: { code: NO_WORK },
        });
    }),
  );
}

/** A booking made by staff at the desk or on the phone, for a customer and vehicle of the registry. */
export const AppointmentInput = requireWork(
  z.strictObject({
    customerId: RequiredText,
    vehicleId: RequiredText,
    ...Slot,
    ...Work,
    channel: z.enum(['desk', 'phone']).default('desk'),
    /** Confirmed straight away (the customer is on the line) unless `requested`. */
    status: z.enum(['requested', 'confirmed']).default('confirmed'),
    urgent: Urgency.optional(),
  }),
);
export type AppointmentInput = z.input<typeof AppointmentInput>;
export type AppointmentFields = z.output<typeof AppointmentInput>;

/** The contact a public request gives: who to call back, before anyone links a customer record. */
export const RequestContact = z.strictObject({
  name: filledText(60, 'Tell us your name.'),
  phone: Phone.shape.number,
  plate: PlateText,
  /** Whether they agree to booking messages (confirmation, reminders) by SMS. */
  messagesConsent: z.boolean().default(false),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type RequestContact = z.infer<typeof RequestContact>;

/** The estimate given at booking: labour at the customer rate, with tax (预估费用). */
export const CostEstimate = z.object({ labour: Money, tax: Money, total: Money });
export type CostEstimate = z.infer<typeof CostEstimate>;

/** The stored booking. */
export const Appointment = z.object({
  id: RequiredText,
  storeId: RequiredText,
  status: AppointmentStatus,
  channel: AppointmentChannel,
  /** Absent on a public request until the advisor links the registry's customer and vehicle. */
  customerId: RequiredText.optional(),
  vehicleId: RequiredText.optional(),
  /** For the calendar without a read per booking: a snapshot at booking (or linking). */
  customerName: trimmedText(120).optional(),
  plate: trimmedText(12).optional(),
  /** A public request's own contact (PII: masked for roles without `customer:contact`). */
  contact: RequestContact.optional(),
  ...Slot,
  /** The slot as an instant (the store's zone applied): what reminders and no-show rules time from. */
  startsAt: Instant,
  lines: z.array(AppointmentLine),
  concern: trimmedText(500).optional(),
  concernEstimate: ConcernEstimate.optional(),
  parts: z.array(AppointmentPart),
  papers: z.array(RequiredText),
  note: trimmedText(500).optional(),
  /** Tenths of an hour per bay type this booking takes from its day. */
  load: BayLoad,
  estimate: CostEstimate,
  urgent: Urgency.optional(),
  /** True when an urgent booking was let into a day with no room: the overbooking recorded. */
  overbooked: z.boolean().default(false),
  warrantyWarning: WarrantyWarning.optional(),
  /** Why it was cancelled or missed (取消 / 爽约原因). */
  reason: trimmedText(300).optional(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Appointment = z.infer<typeof Appointment>;

/** Edits of what is booked (not the slot: that is a reschedule; not the status: transitions). */
export const AppointmentPatch = patchSchema({
  labourOpIds: Work.labourOpIds.unwrap(),
  concern: Work.concern,
  concernEstimate: Work.concernEstimate,
  parts: Work.parts.unwrap(),
  papers: z.array(RequiredText).check(z.maxLength(30)),
  note: Work.note,
});
export type AppointmentPatch = z.output<typeof AppointmentPatch>;

/** 改约: a new slot, with the urgency that lets it into a full day. */
export const RescheduleInput = z.strictObject({ ...Slot, urgent: Urgency.optional() });
export type RescheduleInput = z.infer<typeof RescheduleInput>;

/**
 * A status move with its reason where one is owed (a cancellation; a no-show may say why). One object,
 * not a union by `to`: unknown fields are refused the same way whatever the move.
 */
export const TransitionInput = z
  .strictObject({
    to: z.enum(['confirmed', 'checked_in', 'no_show', 'cancelled']),
    reason: trimmedText(300).optional(),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.to === 'cancelled' && !input.reason)
        ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why it is cancelled.' });
    }),
  );
export type TransitionInput = z.infer<typeof TransitionInput>;

/** Linking a public request to the registry's customer and vehicle (found or created by the advisor). */
export const LinkRequestInput = z.strictObject({ customerId: RequiredText, vehicleId: RequiredText });

/** One day's room: capacity and booked tenths per bay type, and bookings by status (the calendar's bars). */
export const AppointmentDay = z.object({
  date: IsoDate,
  open: z.boolean(),
  capacity: BayLoad,
  booked: BayLoad,
  counts: z.partialRecord(AppointmentStatus, Count),
});
export type AppointmentDay = z.infer<typeof AppointmentDay>;

const Id = z.object({ appointmentId: RequiredText, date: IsoDate });

/** 预约: who books (the front office and customer service), who reads (also workshop, parts, claims). */
export const APPOINTMENTS = defineCapability({
  aggregates: { appointment: ['confirm', 'check_in', 'no_show', 'cancel', 'reschedule', 'link'] },
  events: {
    'appointment.booked': Id.extend({
      status: AppointmentStatus,
      channel: AppointmentChannel,
      load: BayLoad,
    }),
    'appointment.updated': Id.extend({ fields: z.array(z.string()) }),
    'appointment.rescheduled': Id.extend({
      fromDate: IsoDate,
      /** The slot it left: its texts (reminders) are cancelled. Absent on events written before it was added. */
      fromStartsAt: Instant.optional(),
      startsAt: Instant,
    }),
    'appointment.linked': Id,
    'appointment.statusChanged': Id.extend({ from: AppointmentStatus, to: AppointmentStatus, at: Instant }),
  },
  permissions: {
    'appointment:read': [
      'service_manager',
      'technical_director',
      'workshop_manager',
      'front_desk_supervisor',
      'service_advisor',
      'customer_service',
      'claims_specialist',
      'parts_manager',
      'parts_clerk',
    ],
    'appointment:manage': ['service_manager', 'front_desk_supervisor', 'service_advisor', 'customer_service'],
  },
  figures: {
    figures: {
      // No-show rate (爽约率) = no-shows / (kept + no-shows), counted on the day each booking was due.
      appointmentsKeptLast30Days: {
        label: { en: 'Bookings kept (30 d)', 'zh-CN': '预约到店（30天）' },
        daily: { stored: 'appointmentsKeptByDay', days: 30 },
      },
      noShowsLast30Days: {
        label: { en: 'No-shows (30 d)', 'zh-CN': '爽约（30天）' },
        daily: { stored: 'noShowsByDay', days: 30 },
      },
    },
    on: {
      'appointment.statusChanged': (e) =>
        e.data.to === 'checked_in'
          ? { appointmentsKeptLast30Days: e.data.at }
          : e.data.to === 'no_show'
            ? { noShowsLast30Days: e.data.at }
            : {},
    },
    ratios: {
      noShowRate: {
        label: { en: 'No-show rate (30 d)', 'zh-CN': '爽约率（30天）' },
        numerator: 'noShowsLast30Days',
        denominator: ['appointmentsKeptLast30Days', 'noShowsLast30Days'],
      },
    },
  },
});

/**
 * A store's free room on one of its days, as its group's projection keeps it (集团内调剂): what a sister
 * store's full day offers the customer instead, read without touching the store's own records.
 */
export const StoreRoom = z.object({
  storeId: RequiredText,
  name: RequiredText,
  open: z.boolean(),
  /** Free tenths per bay type (capacity less what is booked, never below 0). */
  free: BayLoad,
  updatedAt: Instant,
});
export type StoreRoom = z.infer<typeof StoreRoom>;

/** The events that move a store's room (its group's projection): bookings, and the set-up and staff that make capacity. */
export const ROOM_EVENTS = [
  'appointment.booked',
  'appointment.updated',
  'appointment.rescheduled',
  'appointment.statusChanged',
  'setup.updated',
  'staff.added',
  'staff.updated',
  'staff.statusChanged',
] as const;

/**
 * A booking as the API answers it: a public request's phone masked (at most half its digits shown) for
 * roles without `customer:contact`, everywhere it is shown (PIPL).
 */
export const AppointmentView = Appointment.extend({
  contact: RequestContact.extend({ phone: z.string() }).optional(),
  contactMasked: z.boolean().meta({
    description:
      'True for roles without `customer:contact`: `contact.phone` shows at most half of its digits.',
  }),
});
export type AppointmentView = z.infer<typeof AppointmentView>;

/**
 * The advisor's day or week (日历): each day's capacity and booked tenths per bay type (hours ×10:
 * `capacity.general: 95` is 9.5 h) with its bookings per status, and the bookings in slot order.
 */
export const AppointmentCalendar = z.object({
  days: z.array(AppointmentDay),
  appointments: z.array(AppointmentView),
  nextCursor: z
    .string()
    .optional()
    .meta({ description: 'More bookings of these days: absent on the last page.' }),
});
export type AppointmentCalendar = z.infer<typeof AppointmentCalendar>;

/** 明日预约: a day's bookings that still stand (not cancelled), to confirm, pre-pick parts for, or chase. */
export const DayBeforeList = z.object({
  date: IsoDate,
  items: z.array(AppointmentView),
  nextCursor: z.string().optional().meta({ description: 'Absent on the last page.' }),
});
export type DayBeforeList = z.infer<typeof DayBeforeList>;
