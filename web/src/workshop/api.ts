import type { Schemas } from '@aftersales/api-client';
import type { StoreClient } from '../api/store.ts';

/** The workshop floor's calls (派工 · 开工 · 三检 · 增修), on the shared store client. */

export type WorkshopBoard = Schemas['WorkshopBoard'];
export type BoardCard = WorkshopBoard['cards'][number];
export type BoardLine = BoardCard['lines'][number];
export type BoardTechnician = WorkshopBoard['technicians'][number];

/** 控工看板: every open RO and every technician, in one request (the wall screen polls it). */
export function getWorkshopBoard(s: StoreClient) {
  return s.data(s.api.GET('/v1/stores/{storeId}/workshop-board', { params: s.at() }));
}

type LineRef = { repairOrderId: string; lineId: string };

export function dispatchLine(s: StoreClient, line: LineRef, input: Schemas['DispatchInput']) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/lines/{lineId}/dispatch', {
      params: s.at(line),
      body: input,
    }),
  );
}

export function clockOn(s: StoreClient, line: LineRef) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/lines/{lineId}/clock-on', {
      params: s.at(line),
    }),
  );
}

export function clockOff(s: StoreClient, line: LineRef, input: Schemas['ClockOffInput']) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/lines/{lineId}/clock-off', {
      params: s.at(line),
      body: input,
    }),
  );
}

/** 三检: self, team or final; a failure carries its reason and sends the line back as rework. */
export function recordCheck(s: StoreClient, line: LineRef, input: Schemas['QualityCheckInput']) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/lines/{lineId}/checks', {
      params: s.at(line),
      body: input,
    }),
  );
}

/** 增修: work a technician found, proposed until the customer approves it (no If-Match: nothing seen is relied on). */
export function reportAddOn(s: StoreClient, repairOrderId: string, input: Schemas['LineWorkRequest']) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/add-ons', {
      params: s.at({ repairOrderId }),
      body: input,
    }),
  );
}

/** 会诊: a hard fault put to the technical director with a note (no If-Match: taken on the latest order). */
export function escalateLine(s: StoreClient, line: LineRef, input: Schemas['EscalationNoteInput']) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/lines/{lineId}/escalations', {
      params: s.at(line),
      body: input,
    }),
  );
}

/** 会诊: the technical director's answer, which returns the line to work. */
export function answerEscalation(s: StoreClient, line: LineRef, input: Schemas['EscalationNoteInput']) {
  return s.data(
    s.api.POST('/v1/stores/{storeId}/repair-orders/{repairOrderId}/lines/{lineId}/escalation-answers', {
      params: s.at(line),
      body: input,
    }),
  );
}
