import { parseArgs } from 'node:util';
import { DataAccess, type Directory } from '@aftersales/data';

/**
 * Onboards an OEM integration's machine client: the directory names the client (a client-credentials
 * token's `sub` is its client id) a member of its OEM with the `oem_claims` role, which is what lets it
 * reach `/v1/oems/{oemId}/…` and nothing else. In AWS the client itself comes from the stack
 * (`-c oemIntegrations=oem_…`, output `OemClientId<OEM>`); locally the demo clients are seeded.
 * Writing the same client again changes nothing.
 *
 *   TABLE_NAME=… npx tsx packages/seed/src/oems/register-oem-client.ts --oem oem_… --client-id <id>
 */
export async function registerOemClient(
  directory: Directory,
  oemId: string,
  clientId: string,
): Promise<void> {
  if (!/^[\w-]{1,128}$/.test(clientId)) throw new Error(`${clientId} is not an OAuth client id`);
  const oem = await directory.getOrganisation(oemId);
  if (oem?.kind !== 'oem') throw new Error(`${oemId} is not an OEM in the directory`);
  await directory.putUser({ id: clientId, username: clientId, displayName: `${oem.name} API`, locale: 'en' });
  await directory.putMembership(clientId, {
    tenantId: oemId,
    tenantKind: 'oem',
    tenantName: oem.name,
    roles: ['oem_claims'],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { oem: { type: 'string' }, 'client-id': { type: 'string' } },
  });
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('Set TABLE_NAME (and AWS_ENDPOINT_URL_DYNAMODB for a local table).');
  if (!values.oem || !values['client-id']) throw new Error('Give --oem oem_… and --client-id <id>.');
  await registerOemClient(new DataAccess({ tableName }).directory, values.oem, values['client-id']);
  console.log(`${values['client-id']} is now ${values.oem}'s machine client.`);
}
