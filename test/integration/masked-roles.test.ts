import { beforeAll, describe, expect, it } from 'vitest';
import { call, uploadCsv, useStackEnv } from '../support/api.ts';
import { demo, readAsDemoUser, uniqueSuffix } from '../support/demo.ts';
import { liveDocument, type OpenApiDoc, operationsOf } from '../support/openapi.ts';
import { pathValues } from '../support/path-values.ts';

/**
 * What a role without `customer:contact` (a technician, HQ) can learn of a customer's contacts: on
 * every read operation of the document it may call, with ids read from the routes' own lists, no
 * response holds a phone number beyond what the mask shows, nor the e-mail, contact person or notes.
 * A new read operation is covered without editing this suite.
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
};

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
  const csv = `name,phone,email\nMasked ${suffix},${contact.mobile},${contact.email}\nMasked ${suffix},${contact.landline},not-an-email\n`;
  const uploadId = await uploadCsv(demo.managerA, demo.storeA, csv);
  const started = await call<{ id: string }>(demo.managerA, 'POST', `/v1/stores/${demo.storeA}/imports`, {
    body: { fileName: `contacts-${suffix}.csv`, uploadId },
  });
  expect(started.status).toBe(202);
  importId = started.body.id;
});

/** Every way the contact details could show: whole, or more of a number than half its digits. */
function leaks(text: string): string[] {
  const found = [contact.email, contact.contactPerson, contact.notes, 'new.masked'].filter((s) =>
    text.toLowerCase().includes(s.toLowerCase()),
  );
  for (const number of [contact.mobile, contact.landline]) {
    const shown = Math.floor(number.length / 2);
    // Any run of more digits than the mask shows, taken from the number, is a leak.
    for (let i = 0; i + shown + 1 <= number.length; i++) {
      const run = number.slice(i, i + shown + 1);
      if (text.includes(run)) found.push(`${number} (${run})`);
    }
  }
  return found;
}

describe('a role without the contact permission', () => {
  it('learns no contact detail from any read operation it may call', async () => {
    // Prepare: every GET under the store, its ids from the lists, this customer's where it is named
    const values = pathValues(
      doc,
      { storeId: demo.storeA, groupId: demo.group, customerId, importId },
      readAsDemoUser,
    );
    const reads = operationsOf(doc).filter((o) => o.method === 'GET' && o.path.startsWith('/v1/'));
    let answered = 0;

    // Act
    const found: string[] = [];
    for (const { path } of reads) {
      const concrete = await values.fill(path);
      // A search by this customer's name and phone as well as the plain list.
      const queries = path.endsWith('/customers')
        ? ['', `?name=${encodeURIComponent(`Masked ${suffix}`)}`]
        : [''];
      for (const username of MASKED_ROLES)
        for (const query of queries) {
          const res = await call(username, 'GET', `${concrete}${query}`);
          if (res.status === 200) answered++;
          for (const leak of leaks(JSON.stringify(res.body)))
            found.push(`${username} GET ${path}${query}: ${leak}`);
        }
    }

    // Assess
    expect(answered).toBeGreaterThan(5);
    expect(found).toEqual([]);
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
