import { DEMO_USERS } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, useStackEnv } from '../support/api.ts';
import { demo } from '../support/demo.ts';
import { ok, repairOrderDesk } from '../support/repair-orders.ts';

/** 会诊 through the API: a hard fault put to the technical director, answered, and the line back to work. */
beforeAll(() => useStackEnv());

// A technician no other suite clocks on, so this suite never waits for another's line.
const technician = DEMO_USERS.find((u) => u.username === 'tech5.bj');
if (!technician) throw new Error('the demo users lack tech5.bj');
const desk = repairOrderDesk({
  storeId: demo.storeA,
  advisor: demo.advisorA,
  workshopManager: demo.workshopManagerA,
  technician: technician.username,
  technicianId: technician.id,
  finalChecker: demo.technicalDirectorA,
});
const { act } = desk;

interface EscalatedLine {
  id: string;
  status: string;
  clockings: { endedAt?: string; pauseReason?: string }[];
  escalations?: { note: string; by: { userId: string }; answer?: { note: string; by: { userId: string } } }[];
}
interface Board {
  cards: { repairOrderId: string; lines: { lineId: string; escalatedAt?: string; pauseReason?: string }[] }[];
}

describe('会诊 (escalation to the technical director)', () => {
  it('pauses the worked line for diagnosis, shows it on the board, and the director’s answer returns it to work', async () => {
    // Prepare: L1 dispatched to the technician and clocked on
    const { ro } = await desk.approvedOrder();
    ok(
      await act(demo.workshopManagerA, 'POST', `/${ro.id}/lines/L1/dispatch`, {
        technicianId: technician.id,
      }),
    );
    await desk.clockOn(ro, 'L1');
    const path = `/${ro.id}/lines/L1`;

    // Act: the technician escalates; the board, a clock-on, the technician's answer, the director's
    const escalated = await act(technician.username, 'POST', `${path}/escalations`, {
      note: '换了点火线圈和火花塞，3缸仍失火',
    });
    const board = await call<Board>(demo.technicianA, 'GET', `${desk.store}/workshop-board`);
    const clockOnMeanwhile = await act(technician.username, 'POST', `${path}/clock-on`);
    const byTechnician = await act(technician.username, 'POST', `${path}/escalation-answers`, {
      note: 'self-answered',
    });
    const again = await act(demo.advisorA, 'POST', `${path}/escalations`, { note: '再次会诊' });
    const answered = await act(demo.technicalDirectorA, 'POST', `${path}/escalation-answers`, {
      note: '检查3缸喷油嘴及线束',
    });
    const back = await desk.clockOn(ro, 'L1');
    const history = await call<{ items: { action: string }[] }>(
      demo.advisorA,
      'GET',
      `${desk.base}/${ro.id}/history`,
    );

    // Assess
    const line = (ok(escalated).lines as unknown as EscalatedLine[])[0];
    expect(line).toMatchObject({
      status: 'paused',
      escalations: [{ note: '换了点火线圈和火花塞，3缸仍失火' }],
    });
    expect(line?.clockings.at(-1)).toMatchObject({ pauseReason: 'waiting_diagnosis' });
    const card = board.body.cards.find((c) => c.repairOrderId === ro.id);
    expect(card?.lines.find((l) => l.lineId === 'L1')).toMatchObject({
      pauseReason: 'waiting_diagnosis',
      escalatedAt: expect.any(String),
    });
    expect([clockOnMeanwhile.status, clockOnMeanwhile.body.code]).toEqual([409, 'LINE_ESCALATED']);
    expect(byTechnician.status).toBe(403);
    expect([again.status, again.body.code]).toEqual([409, 'ESCALATION_ALREADY_OPEN']);
    const answeredLine = (ok(answered).lines as unknown as EscalatedLine[])[0];
    expect(answeredLine?.escalations?.[0]?.answer).toMatchObject({ note: '检查3缸喷油嘴及线束' });
    expect(back.lines[0]?.status).toBe('in_progress');
    expect(history.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['escalate', 'answer_escalation']),
    );
    ok(await act(technician.username, 'POST', `${path}/clock-off`, { outcome: 'done' }));
  });

  it('refuses an answer with no question, a question on finished work, and one without a note', async () => {
    // Prepare: L2 worked to done
    const { ro } = await desk.approvedOrder();
    await desk.workedLine(ro, 'L2');

    // Act
    const noQuestion = await act(demo.technicalDirectorA, 'POST', `/${ro.id}/lines/L1/escalation-answers`, {
      note: '无',
    });
    const done = await act(demo.advisorA, 'POST', `/${ro.id}/lines/L2/escalations`, { note: '复查' });
    const empty = await act(demo.advisorA, 'POST', `/${ro.id}/lines/L1/escalations`, { note: ' ' });

    // Assess
    expect([noQuestion.status, noQuestion.body.code]).toEqual([409, 'NO_OPEN_ESCALATION']);
    expect([done.status, done.body.code]).toEqual([409, 'ESCALATION_NOT_ALLOWED']);
    expect(empty.status).toBe(400);
    expect(empty.body.fieldErrors?.map((e) => e.path)).toEqual(['note']);
  });
});
