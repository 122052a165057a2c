import { DataAccess } from '@aftersales/data';
import { DEMO_OEM_CLIENTS } from '@aftersales/seed';
import { registerOemClient } from '@aftersales/seed/register-oem-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';

/** Onboarding an OEM integration's machine client (in AWS after the stack made the client). */
beforeAll(() => {
  useStackEnv();
});

const FAW = DEMO_OEM_CLIENTS[0]!.oemId;

describe('registering an OEM machine client', () => {
  it('makes the client a member of its OEM exactly as the demo clients are, and again changes nothing', async () => {
    // Prepare
    const { directory } = new DataAccess({ tableName: stack.tableName });
    const clientId = `oemclient${uniqueSuffix()}`;

    // Act
    await registerOemClient(directory, FAW, clientId);
    await registerOemClient(directory, FAW, clientId);

    // Assess: one membership, the OEM's claims role, the same as a seeded client's
    const memberships = await directory.memberships(clientId);
    const seeded = await directory.memberships(DEMO_OEM_CLIENTS[0]!.clientId);
    expect(memberships).toEqual(seeded);
    expect(memberships).toMatchObject([{ tenantId: FAW, tenantKind: 'oem', roles: ['oem_claims'] }]);
    expect(await directory.findUserByUsername(clientId)).toMatchObject({ id: clientId, locale: 'en' });
  });

  it('refuses a store or an unknown id as the OEM, and writes nothing', async () => {
    // Prepare
    const { directory } = new DataAccess({ tableName: stack.tableName });
    const clientId = `oemclient${uniqueSuffix()}`;

    // Act: each refusal caught as it happens (a rejection awaited later would go unhandled meanwhile)
    const asStore = await registerOemClient(directory, demo.storeA, clientId).catch((e: unknown) => e);
    const unknown = await registerOemClient(directory, 'oem_NOSUCHMAKER', clientId).catch((e: unknown) => e);

    // Assess
    expect(String(asStore)).toMatch(/not an OEM/);
    expect(String(unknown)).toMatch(/not an OEM/);
    expect(await directory.memberships(clientId)).toEqual([]);
  });
});
