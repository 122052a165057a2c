import { Outbox } from '@aftersales/data/messages';
import { ApprovalLinks } from '@aftersales/data/repair-orders';
import { viewerHeaders } from '@aftersales/local';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, useStackEnv } from '../support/api.ts';
import {
  repairOrdersPath as base,
  HOUR,
  type QuotedOrder as Order,
  quotedOrder,
  sendLink,
  storeA as tenant,
  tokenOf,
} from '../support/approval.ts';
import { demo } from '../support/demo.ts';

/**
 * 远程确认: the advisor texts the customer a one-time link; the customer opens the quote without signing
 * in and approves or declines each line. The link works once, for a day, for its quote version only,
 * and only in its own store.
 */
beforeAll(() => useStackEnv());

const publicBase = (storeId: string) => `/public/v1/stores/${storeId}/approval-links`;
interface PublicQuote {
  storeName: string;
  plate?: string;
  quoteVersion: number;
  lines: { lineId: string; payer: string; offered: boolean; totals: { net: number } }[];
  byPayer: { payer: string; total: number }[];
}
type Problem = { code: string } & Record<string, unknown>;

/** The customer's answer, from their phone's address as CloudFront passes it on. */
const answer = (token: string, decisions: { lineId: string; approved: boolean }[], storeId = demo.storeA) =>
  call<Problem>(null, 'POST', `${publicBase(storeId)}/${token}`, {
    body: { approverName: '张先生', decisions },
    headers: viewerHeaders('203.0.113.50', 41234),
  });

const both = [
  { lineId: 'L1', approved: true },
  { lineId: 'L2', approved: false },
];

describe('the remote approval link', () => {
  it('texts a link that shows the quote and records the customer’s answer once', async () => {
    // Prepare
    const { ro, name, phone, plate } = await quotedOrder();

    // Act
    const sent = await sendLink(ro);
    const { token, text } = await tokenOf(sent.body.messageId);
    const message = await tenant().repo(Outbox).require(sent.body.messageId);
    const quote = await call<PublicQuote>(null, 'GET', `${publicBase(demo.storeA)}/${token}`);
    const answered = await answer(token, both);
    const again = await answer(token, [{ lineId: 'L2', approved: true }]);
    const reopened = await call<Problem>(null, 'GET', `${publicBase(demo.storeA)}/${token}`);
    const after = await call<Order>(demo.advisorA, 'GET', `${base}/${ro.id}`);

    // Assess: the text went to the customer's mobile with the plate and the link
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.quoteVersion).toBe(1);
    expect(Date.parse(sent.body.expiresAt) - Date.now()).toBeGreaterThan(23 * HOUR);
    expect(message).toMatchObject({ to: phone, template: 'repairOrder.approvalLink' });
    expect(text).toContain(plate);
    expect(text).toContain(`/approve.html#store=${demo.storeA}&token=`);
    // the quote: lines with prices per payer, the store and plate, nothing else of the customer
    expect(quote.status, quote.text).toBe(200);
    expect(quote.body).toMatchObject({ plate, quoteVersion: 1 });
    expect(quote.body.storeName).toBeTruthy();
    expect(quote.body.lines.map((l) => [l.lineId, l.payer, l.offered])).toEqual([
      ['L1', 'customer', true],
      ['L2', 'warranty', true],
    ]);
    expect(quote.body.byPayer.map((p) => p.payer)).toEqual(['customer', 'warranty']);
    for (const secret of [name, phone, ro.id]) expect(quote.text).not.toContain(secret);
    // the answer: recorded as the link's, by the advisor who sent it, from the customer's address
    expect(answered.status, answered.text).toBe(200);
    expect(after.body.lines.map((l) => [l.id, l.status])).toEqual([
      ['L1', 'approved'],
      ['L2', 'declined'],
    ]);
    expect(after.body.approvals).toEqual([
      expect.objectContaining({
        quoteVersion: 1,
        method: 'remote_link',
        approverName: '张先生',
        from: '203.0.113.50',
        approvedLineIds: ['L1'],
        declinedLineIds: ['L2'],
        recordedBy: expect.objectContaining({ userId: demo.advisorAId }),
      }),
    ]);
    // works once
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('APPROVAL_LINK_USED');
    expect(reopened.status).toBe(410);
    expect(reopened.body.code).toBe('APPROVAL_LINK_USED');
  });

  it('records one answer when the link is used twice at once', async () => {
    // Prepare
    const { ro } = await quotedOrder();
    const { token } = await tokenOf((await sendLink(ro)).body.messageId);

    // Act
    const answers = await Promise.all([answer(token, both), answer(token, both)]);
    const after = await call<Order>(demo.advisorA, 'GET', `${base}/${ro.id}`);

    // Assess
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410]);
    expect(answers.find((a) => a.status === 410)?.body.code).toBe('APPROVAL_LINK_USED');
    expect(after.body.approvals).toHaveLength(1);
  });

  it('refuses an expired link, an outdated one, a tampered one and another store’s', async () => {
    // Prepare: one link issued 25 hours ago, one before a new quote, one for the current quote
    const { ro } = await quotedOrder();
    const dayAgo = () => new Date(Date.now() - 25 * HOUR);
    const old = await tenant(dayAgo)
      .repo(ApprovalLinks)
      .issue(
        tenant(dayAgo),
        ro.id,
        { locale: 'en' },
        { name: 'Test', timeZone: 'Asia/Shanghai' },
        (t) => `http://localhost/approve.html#store=${demo.storeA}&token=${t}`,
      );
    const expired = (await tokenOf(old.messageId)).token;
    const outdated = (await tokenOf((await sendLink(ro)).body.messageId)).token;
    const requote = await call<Order>(demo.advisorA, 'PUT', `${base}/${ro.id}/lines/L1`, {
      body: { complaint: '刹车异响', payer: 'customer', discountBp: 500 },
      headers: { 'if-match': `"${ro.version}"` },
    });
    expect(requote.status, requote.text).toBe(200);
    const quoted = await call<Order>(demo.advisorA, 'POST', `${base}/${ro.id}/quotes`, {
      headers: { 'if-match': `"${requote.body.version}"` },
    });
    expect(quoted.status, quoted.text).toBe(200);
    const current = (await tokenOf((await sendLink(ro)).body.messageId)).token;
    const tampered = `${current.slice(0, -1)}${current.endsWith('A') ? 'B' : 'A'}`;

    // Act
    const reads = await Promise.all(
      [expired, outdated, tampered, 'not-a-token'].map((t) =>
        call<Problem>(null, 'GET', `${publicBase(demo.storeA)}/${t}`),
      ),
    );
    const otherStore = await answer(current, both, demo.storeB);
    const noStore = await answer(current, both, 'st_NOSUCHSTORE');
    const expiredAnswer = await answer(expired, both);
    const currentQuote = await call<PublicQuote>(null, 'GET', `${publicBase(demo.storeA)}/${current}`);

    // Assess
    expect(reads.map((r) => [r.status, r.body.code])).toEqual([
      [410, 'APPROVAL_LINK_EXPIRED'],
      [410, 'APPROVAL_LINK_OUTDATED'],
      [404, 'APPROVAL_LINK_NOT_FOUND'],
      [404, 'APPROVAL_LINK_NOT_FOUND'],
    ]);
    expect([otherStore.status, otherStore.body.code]).toEqual([404, 'APPROVAL_LINK_NOT_FOUND']);
    expect([noStore.status, noStore.body.code]).toEqual([404, 'APPROVAL_LINK_NOT_FOUND']);
    expect([expiredAnswer.status, expiredAnswer.body.code]).toEqual([410, 'APPROVAL_LINK_EXPIRED']);
    expect(currentQuote.status, currentQuote.text).toBe(200);
    expect(currentQuote.body.quoteVersion).toBe(2);
  });

  it('sends no link without a quote to approve, nor for a technician', async () => {
    // Prepare
    const { ro } = await quotedOrder();
    const { token } = await tokenOf((await sendLink(ro)).body.messageId);
    expect((await answer(token, both)).status).toBe(200);

    // Act
    const answered = await sendLink(ro);
    const technician = await sendLink(ro, demo.technicianA);

    // Assess
    expect(answered.status).toBe(409);
    expect(answered.body.code).toBe('NOTHING_TO_APPROVE');
    expect(technician.status).toBe(403);
  });
});
