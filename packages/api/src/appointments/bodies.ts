import {
  AppointmentCalendar,
  AppointmentInput,
  AppointmentPatch,
  AppointmentView,
  DayBeforeWithParts,
  LinkRequestInput,
  RescheduleInput,
  TransitionInput,
} from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The appointments' bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  AppointmentInput,
  AppointmentPatch,
  AppointmentView,
  AppointmentCalendar,
  DayBeforeList: DayBeforeWithParts,
  RescheduleInput,
  TransitionInput,
  LinkRequestInput,
});

export const Pages = { AppointmentPage: pageOf(Bodies.AppointmentView, 'AppointmentPage') };
