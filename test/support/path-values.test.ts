import { appOpenApiJson } from '@aftersales/api/openapi-document';
import { describe, expect, it } from 'vitest';
import type { OpenApiDoc, Operation } from './openapi.ts';
import { type ListReader, pathValues } from './path-values.ts';

/**
 * The suites that call every route (tenancy, permissions, PATCH) fill path parameters with
 * `pathValues`: a route added to the document must get its ids without an edit to them. Checked here
 * on the app's real document plus synthetic routes, with the reads answered in memory.
 */
const APP_DOCUMENT = appOpenApiJson();
const STORE = 'st_A';
const KNOWN = { storeId: STORE, groupId: 'grp_G' };

const list = (permission: string): Operation => ({
  operationId: 'listSomething',
  'x-permission': permission,
  responses: { '200': { description: 'a page' } },
});
const item = (...params: string[]): Operation => ({
  operationId: 'getSomething',
  'x-permission': 'widget:read',
  parameters: params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
  responses: { '200': { description: 'one' } },
});

/** The app's document with the routes of a new aggregate, `widgets`, and a nested `parts`. */
function documentWithWidgets(): OpenApiDoc {
  const doc = JSON.parse(APP_DOCUMENT) as OpenApiDoc;
  doc.paths['/v1/stores/{storeId}/widgets'] = { get: list('widget:read') };
  doc.paths['/v1/stores/{storeId}/widgets/{widgetId}'] = { get: item('storeId', 'widgetId') };
  doc.paths['/v1/stores/{storeId}/widgets/{widgetId}/parts'] = { get: list('widget:read') };
  doc.paths['/v1/stores/{storeId}/widgets/{widgetId}/parts/{partId}'] = {
    delete: item('storeId', 'widgetId', 'partId'),
  };
  return doc;
}

/** Answers each list from `pages` and records what was read, with which permission. */
function readerOf(pages: Record<string, { id: string }[]>) {
  const reads: string[] = [];
  const read: ListReader = async (path, permission) => {
    reads.push(`${path} as ${permission}`);
    const items = pages[path];
    return items ? { status: 200, body: { items } } : { status: 404, body: { code: 'NOT_FOUND' } };
  };
  return { read, reads };
}

describe('path values derived from the document', () => {
  it('reads a new aggregate’s id from its list operation, as a user with its permission', async () => {
    // Prepare
    const { read, reads } = readerOf({ [`/v1/stores/${STORE}/widgets`]: [{ id: 'wid_1' }, { id: 'wid_2' }] });
    const values = pathValues(documentWithWidgets(), KNOWN, read);

    // Act
    const path = await values.fill('/v1/stores/{storeId}/widgets/{widgetId}');
    const again = await values.fill('/v1/stores/:storeId/widgets/:widgetId');

    // Assess
    expect([path, again]).toEqual([`/v1/stores/${STORE}/widgets/wid_1`, `/v1/stores/${STORE}/widgets/wid_1`]);
    expect(reads).toEqual([`/v1/stores/${STORE}/widgets as widget:read`]);
    expect(values.derived()).toEqual(['wid_1']);
  });

  it('reads a nested id from the list under its parent’s derived id', async () => {
    // Prepare
    const { read } = readerOf({
      [`/v1/stores/${STORE}/widgets`]: [{ id: 'wid_1' }],
      [`/v1/stores/${STORE}/widgets/wid_1/parts`]: [{ id: 'prt_9' }],
    });

    // Act
    const path = await pathValues(documentWithWidgets(), KNOWN, read).fill(
      '/v1/stores/{storeId}/widgets/{widgetId}/parts/{partId}',
    );

    // Assess
    expect(path).toBe(`/v1/stores/${STORE}/widgets/wid_1/parts/prt_9`);
  });

  it('fills the app’s own routes: known values, enums, lists with a required look-up, ids named elsewhere', async () => {
    // Prepare
    const { read, reads } = readerOf({
      [`/v1/stores/${STORE}/vehicles?recent=true`]: [{ id: 'veh_1' }],
      [`/v1/stores/${STORE}/customers`]: [{ id: 'cus_1' }],
    });

    // Act: the link's {customerId} has no list at …/links, so it is a customer from the customers list
    const path = await pathValues(documentWithWidgets(), KNOWN, read).fill(
      '/v1/stores/{storeId}/vehicles/{vehicleId}/links/{customerId}/{role}',
    );

    // Assess
    expect(path).toBe(`/v1/stores/${STORE}/vehicles/veh_1/links/cus_1/driver`);
    expect(reads).toEqual([
      `/v1/stores/${STORE}/vehicles?recent=true as registry:read`,
      `/v1/stores/${STORE}/customers as registry:read`,
    ]);
  });

  it('fails with what to add when a parameter has no list operation', async () => {
    // Prepare
    const doc = documentWithWidgets();
    doc.paths['/v1/stores/{storeId}/gadgets/{gadgetId}'] = { get: item('storeId', 'gadgetId') };
    const { read } = readerOf({});

    // Act
    const filled = pathValues(doc, KNOWN, read).fill('/v1/stores/{storeId}/gadgets/{gadgetId}');

    // Assess
    await expect(filled).rejects.toThrow(
      'cannot derive {gadgetId} in /v1/stores/{storeId}/gadgets/{gadgetId}: no list operation reads one (declare GET /v1/stores/{storeId}/gadgets',
    );
  });

  it('fails with what to add when the list is empty', async () => {
    // Prepare
    const { read } = readerOf({ [`/v1/stores/${STORE}/widgets`]: [] });

    // Act
    const filled = pathValues(documentWithWidgets(), KNOWN, read).fill(
      '/v1/stores/{storeId}/widgets/{widgetId}',
    );

    // Assess
    await expect(filled).rejects.toThrow(
      `comes from GET /v1/stores/${STORE}/widgets, which answered 200 with no items[0].id; seed at least one in the demo data (packages/seed)`,
    );
  });
});
