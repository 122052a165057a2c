import { createHash } from 'node:crypto';
import { nameSearchKey, permissionsOf } from '@aftersales/domain';
import { DEMO_USERS } from '@aftersales/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, uploadCsv, useStackEnv } from '../support/api.ts';
import { demo, readAsDemoUser, uniqueSuffix } from '../support/demo.ts';
import { liveDocument, type OpenApiDoc, operationsOf } from '../support/openapi.ts';
import { stockPathValues } from '../support/parts.ts';
import { pathValues } from '../support/path-values.ts';

/**
 * What a role without `customer:contact` (a technician, HQ) can learn of a customer's contacts: on
 * every operation of the document it may call (its `x-permission` held), with ids read from the
 * routes' own lists, no response holds a phone number beyond what the mask shows, nor the e-mail,
 * contact person or notes, nor an id derived from them. A new read operation is covered without
 * editing this suite; a new operation with a body it may call must say which bodies to send.
 */

const MASKED_ROLES = [demo.technicianA, demo.hqExecutive];
const digits = uniqueSuffix();
/** The same run as letters, for the texts: a name (which masked roles do see) must hold no phone digits. */
const suffix = digits.replace(/\d/g, (d) => 'ABCDEFGHIJ'[Number(d)]!);
/** Digits no demo value holds by chance: 8 of 11 would be far more than the mask's 5. */
const contact = {
  mobile: `1390${digits.padEnd(7, '7').slice(0, 7)}`,
  landline: `0105${digits.padEnd(4, '3').slice(-4)}`,
  email: `masked.${suffix.toLowerCase()}@example.com`,
  contactPerson: `联系人${suffix}`,
  notes: `Call the fleet desk, ext ${suffix}`,
  /** A second customer, made by an import: its id is the import's. */
  imported: `1370${digits.padEnd(7, '5').slice(-7)}`,
};
const importedName = `Imported ${suffix}`;

/**
 * The bodies sent to each operation with a body that a masked role may call (none changes anything):
 * an operation missing here fails the suite until someone says what to send it.
 */
/**
 * Operations the sweep does not call: sign-out ends the caller's session (the rest of the sweep would
 * be refused) and answers 204 with no body, so it has nothing to leak.
 */
const NOT_CALLED = new Set([
  'signOut',
  // The workshop floor's moves answer the repair order that GET already answers to these roles (and
  // checked here); calling them would clock the store's technician on a line other suites work.
  'reportAddOnWork',
  'clockOnRepairOrderLine',
  'clockOffRepairOrderLine',
  'recordQualityCheck',
  // 会诊 likewise: a question would pause a line other suites work, and its answer is the order.
  'escalateRepairOrderLine',
  'answerRepairOrderEscalation',
]);

const BODIES: Record<string, unknown[]> = {
  confirmMfa: [undefined],
  searchCustomers: [{ name: '' }, { name: `Masked ${suffix}` }, { name: importedName }],
};

/** The permissions `username` holds in demo store A (or its group, for HQ). */
function permissionsOfUser(username: string): ReadonlySet<string> {
  const user = DEMO_USERS.find((u) => u.username === username);
  const membership = user?.memberships.find((m) => m.tenantId === demo.storeA || m.tenantId === demo.group);
  if (!membership) throw new Error(`${username} is no demo user of ${demo.storeA} or ${demo.group}`);
  return permissionsOf(membership.roles);
}

let doc: OpenApiDoc;
let customerId: string;
let importId: string;

useStackEnv();

beforeAll(async () => {
  doc = await liveDocument();
  const created = await call<{ id: string }>(demo.advisorA, 'POST', `/v1/stores/${demo.storeA}/customers`, {
    body: {
      kind: 'company',
      name: `Masked ${suffix}`,
      phones: [{ number: contact.mobile }, { number: contact.landline, label: 'work' }],
      email: contact.email,
      contactPerson: contact.contactPerson,
      notes: contact.notes,
    },
  });
  expect(created.status).toBe(201);
  customerId = created.body.id;
  // …and an edit, so its history holds contact changes too.
  const read = await call(demo.advisorA, 'GET', `/v1/stores/${demo.storeA}/customers/${customerId}`);
  const edited = await call(demo.advisorA, 'PATCH', `/v1/stores/${demo.storeA}/customers/${customerId}`, {
    body: { notes: `${contact.notes} (updated)`, email: `new.${contact.email}` },
    headers: { 'if-match': String(read.headers.get('etag')) },
  });
  expect(edited.status).toBe(200);
  // …and an import whose rows hold the same contacts, one of them refused (its row report is readable).
  const csv = `name,phone,email\nMasked ${suffix},${contact.mobile},${contact.email}\nMasked ${suffix},${contact.landline},not-an-email\n${importedName},${contact.imported},${contact.email}\n`;
  const uploadId = await uploadCsv(demo.managerA, demo.storeA, csv);
  const started = await call<{ id: string }>(demo.managerA, 'POST', `/v1/stores/${demo.storeA}/imports`, {
    body: { fileName: `contacts-${suffix}.csv`, uploadId },
  });
  expect(started.status).toBe(202);
  importId = started.body.id;
  // Its customers are in the lists before any is read
  await eventually(async () => {
    const job = await call<{ status: string }>(
      demo.managerA,
      'GET',
      `/v1/stores/${demo.storeA}/imports/${importId}`,
    );
    return job.body.status.startsWith('completed') ? job.body : undefined;
  }, 60_000);
});

/** The id an import gave a customer before ids were random: a digest of store, name and phone. */
const digestOf = (name: string, phone: string) =>
  createHash('sha256')
    .update(`${demo.storeA}|${nameSearchKey(name)}|${phone}`)
    .digest('hex')
    .slice(0, 25);

/** Every way the contact details could show: whole, in more of a number than half its digits, in an id. */
function leaks(text: string): string[] {
  const found = [contact.email, contact.contactPerson, contact.notes, 'new.masked'].filter((s) =>
    text.toLowerCase().includes(s.toLowerCase()),
  );
  for (const number of [contact.mobile, contact.landline, contact.imported]) {
    const shown = Math.floor(number.length / 2);
    // Any run of more digits than the mask shows, taken from the number, is a leak.
    for (let i = 0; i + shown + 1 <= number.length; i++) {
      const run = number.slice(i, i + shown + 1);
      if (text.includes(run)) found.push(`${number} (${run})`);
    }
  }
  // Ids: random (ULID-shaped), never a digest of a name and a number.
  for (const id of text.match(/\bcus_\w+/g) ?? [])
    if (!/^cus_[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) found.push(`id not random: ${id}`);
  for (const [name, phone] of [
    [`Masked ${suffix}`, contact.mobile],
    [importedName, contact.imported],
  ] as const)
    if (text.toLowerCase().includes(digestOf(name, phone).slice(0, 10))) found.push(`id from ${phone}`);
  return found;
}

describe('a role without the contact permission', () => {
  it('learns no contact detail from any operation it may call', async () => {
    // Prepare: every operation under /v1 whose permission the role holds, its ids from the lists,
    // this customer's where it is named
    const values = pathValues(
      doc,
      {
        storeId: demo.storeA,
        groupId: demo.group,
        customerId,
        importId,
        // Lines are numbered on each order (L1 is every order's first concern).
        lineId: 'L1',
        ...(await stockPathValues()),
      },
      readAsDemoUser,
    );
    const operations = operationsOf(doc).filter((o) => o.path.startsWith('/v1/'));
    let answered = 0;
    // The imported customer (and so its id) was in some answers
    let sawImported = 0;
    const unclassified: string[] = [];

    // Act
    const found: string[] = [];
    for (const username of MASKED_ROLES) {
      const held = permissionsOfUser(username);
      const callable = operations.filter((o) => {
        const permission = o.op['x-permission'];
        if (NOT_CALLED.has(o.op.operationId ?? '')) return false;
        return permission === 'signed-in' || (permission !== undefined && held.has(permission));
      });
      for (const { method, path, op } of callable) {
        const concrete = await values.fill(path);
        const bodies = method === 'GET' ? [undefined] : BODIES[op.operationId ?? ''];
        if (!bodies) {
          unclassified.push(`${method} ${path} (${op.operationId})`);
          continue;
        }
        for (const body of bodies) {
          const res = await call(username, method, concrete, body === undefined ? {} : { body });
          if (res.status === 200) answered++;
          if (res.text.includes(importedName)) sawImported++;
          for (const leak of leaks(res.text))
            found.push(`${username} ${method} ${path} ${JSON.stringify(body ?? '')}: ${leak}`);
        }
      }
    }

    // Assess
    expect(unclassified).toEqual([]);
    expect(answered).toBeGreaterThan(10);
    expect(sawImported).toBeGreaterThanOrEqual(MASKED_ROLES.length);
    expect(found).toEqual([]);
  });

  it('cannot look customers up by phone: 403, the same for a number that exists and one that does not', async () => {
    const target = operationsOf(doc).find((o) => o.op.operationId === 'searchCustomersByPhone')!;
    expect(target.op['x-permission']).toBe('customer:contact');
    for (const username of MASKED_ROLES) {
      // Act: the whole number, and a neighbour of it that no one holds
      const path = `/v1/stores/${demo.storeA}/customers/phone-search`;
      const known = await call(username, 'POST', path, { body: { phone: contact.mobile } });
      const unknown = await call(username, 'POST', path, { body: { phone: `1390${'0'.repeat(7)}` } });
      // Assess: refused before the body is read, and nothing tells the two apart
      expect([known.status, known.body.code]).toEqual([403, 'FORBIDDEN']);
      expect(unknown.text).toBe(known.text);
      expect(leaks(known.text)).toEqual([]);
    }
    // …while a role that contacts customers finds the customer
    const advisor = await call<{ items: { id: string }[] }>(
      demo.advisorA,
      'POST',
      `/v1/stores/${demo.storeA}/customers/phone-search`,
      { body: { phone: contact.mobile } },
    );
    expect(advisor.body.items.map((c) => c.id)).toContain(customerId);
  });

  it('is shown the customer, with phones masked and the other contact details left out', async () => {
    const res = await call(demo.technicianA, 'GET', `/v1/stores/${demo.storeA}/customers/${customerId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ phonesMasked: true, name: `Masked ${suffix}` });
    expect((res.body.phones as { number: string }[]).map((p) => p.number)).toEqual([
      `1******${contact.mobile.slice(-4)}`,
      `****${contact.landline.slice(-4)}`,
    ]);
  });
});
