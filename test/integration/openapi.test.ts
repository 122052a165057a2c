import { fileURLToPath } from 'node:url';
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, uploadCsv } from '../support/api.ts';
import { demo, demoUserWith, readAsDemoUser, validVin } from '../support/demo.ts';
import {
  type DocOperation,
  documentedCodes,
  expectDocumentedProblem,
  liveDocument,
  type OpenApiDoc,
  operationsOf,
  type Parameter,
} from '../support/openapi.ts';
import { stockPathValues } from '../support/parts.ts';
import { pathValues } from '../support/path-values.ts';
import { type JsonSchema, objectArbitrary, resolverFor } from '../support/schema-arbitrary.ts';
import { stockDocuments } from '../support/stock.ts';

/**
 * /openapi.json is the contract a partner builds on: it passes an outside linter, names everything a
 * generated client needs, and states what the server enforces, checked here against the server itself.
 */
let doc: OpenApiDoc;
let operations: DocOperation[];

beforeAll(async () => {
  doc = await liveDocument();
  operations = operationsOf(doc);
});

const REDOCLY_CONFIG = fileURLToPath(new URL('../../redocly.yaml', import.meta.url));
const jsonBody = (target: DocOperation) => target.op.requestBody?.content?.['application/json']?.schema;
const header = (target: DocOperation, name: string) =>
  target.op.parameters?.find((p) => p.in === 'header' && p.name === name);
/** A documented path with its parameters filled: store A (or the first demo OEM), the given ids, else ids that do not exist. */
const fillPath = (path: string, ids: Record<string, string> = {}) =>
  path.replace(
    /\{(\w+)\}/g,
    (_, name: string) =>
      ({ storeId: demo.storeA, oemId: demo.oem, role: 'driver', ...ids })[name] ?? `${name}-unknown`,
  );

describe('the OpenAPI document', () => {
  it('passes Redocly’s recommended rules with no error and no warning', async () => {
    // Prepare
    const config = await loadConfig({ configPath: REDOCLY_CONFIG });

    // Act
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'openapi.json',
      config,
    });

    // Assess
    const report = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`,
    );
    expect(report).toEqual([]);
  });

  it('gives every operation a unique operationId and every body a named schema', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(
      ids.every((id) => id && /^[a-z][A-Za-z]+$/.test(id)),
      JSON.stringify(ids),
    ).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const target of operations) {
      const where = `${target.method} ${target.path}`;
      if (target.op.requestBody) expect(jsonBody(target)?.$ref, where).toMatch(/^#\/components\/schemas\//);
      for (const [status, res] of Object.entries(target.op.responses)) {
        const success = res.content?.['application/json']?.schema;
        if (status === '204') expect(res.content, `${where} ${status}`).toBeUndefined();
        else if (status.startsWith('2'))
          expect(success?.$ref, `${where} ${status}`).toMatch(/^#\/components\//);
        else
          expect(documentedCodes(target.op, Number(status)).length, `${where} ${status}`).toBeGreaterThan(0);
      }
    }
  });

  it('documents servers, licence and where tokens come from', () => {
    expect(doc.servers?.map((s) => s.url)).toEqual(expect.arrayContaining(['/', 'http://localhost:3000']));
    expect(doc.info.license?.name).toBeTruthy();
    const oauth2 = doc.components?.securitySchemes?.oauth2 as
      | { flows: Record<string, { tokenUrl: string }>; description: string }
      | undefined;
    expect(oauth2?.flows.password?.tokenUrl).toBe('/dev-idp/token');
    expect(oauth2?.flows.clientCredentials?.tokenUrl).toBe('/dev-idp/token');
    expect(oauth2?.description).toContain('/oauth2/token');
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('refuses unknown fields on every request body, and empty edits', () => {
    const resolve = resolverFor(doc);
    for (const target of operations.filter((o) => o.op.requestBody)) {
      type Body = JsonSchema & {
        additionalProperties?: unknown;
        minProperties?: number;
        oneOf?: JsonSchema[];
      };
      const schema = resolve(jsonBody(target)!) as Body;
      // A body that is one of several objects (a movement, by its `kind`) refuses them in each.
      for (const branch of schema.oneOf?.map((b) => resolve(b) as Body) ?? [schema])
        expect(branch.additionalProperties, `${target.method} ${target.path}`).toBe(false);
      if (target.method === 'PATCH') expect(schema.minProperties, target.path).toBe(1);
    }
  });

  it('states the headers each write sends back', () => {
    for (const target of operations) {
      const created = target.op.responses['201'];
      if (created)
        expect(Object.keys(created.headers ?? {}).sort(), target.path).toEqual([
          'ETag',
          'Idempotent-Replayed',
          'Location',
        ]);
      if (target.method === 'PATCH') expect(target.op.responses['200']?.headers?.ETag?.required).toBe(true);
    }
  });
});

describe('the server does what the document says', () => {
  it('answers 428, not 400, where If-Match is required and missing, even with a valid body', async () => {
    const resolve = resolverFor(doc);
    const conditional = operations.filter((o) => o.op.responses['428']);
    expect(conditional.length).toBeGreaterThanOrEqual(5);
    for (const target of operations) {
      // Required in the document exactly where its absence is a 428
      expect(header(target, 'if-match')?.required ?? false, target.path).toBe(conditional.includes(target));
    }
    for (const target of conditional) {
      // Prepare: a body the document calls valid
      const schema = jsonBody(target);
      const [body] = schema
        ? fc.sample(objectArbitrary(schema, resolve, { atLeastOne: true }), { numRuns: 1, seed: 7 })
        : [];

      // Act
      const user = demoUserWith(target.op['x-permission']);
      const res = await call(user, target.method, fillPath(target.path), body ? { body } : {});

      // Assess
      expect(res.status, `${target.method} ${target.path}: ${res.text}`).toBe(428);
      expectDocumentedProblem(target, res);
    }
  });

  it('answers a look-up with exactly one of plate, vin or recent, and refuses none or two', async () => {
    const target = operations.find((o) => o.op.operationId === 'listVehicles')!;
    expect(target.op['x-exactly-one-of']).toEqual(['plate', 'vin', 'recent']);
    const path = fillPath(target.path);
    for (const query of ['', '?plate=京A12345&vin=269225', '?vin=269225&recent=true']) {
      const res = await call(demo.advisorA, 'GET', `${path}${query}`);
      expect(res.status, query).toBe(400);
      expectDocumentedProblem(target, res);
    }
    const one = await call(demo.advisorA, 'GET', `${path}?recent=true`);
    expect(one.status).toBe(200);
  });

  it('takes personal data in bodies only: no query parameter holds a phone, an e-mail or a name', () => {
    const personal = /phone|mail|name|contact/i;
    const inUrls = operations.flatMap((o) =>
      (o.op.parameters ?? [])
        .filter((p) => p.in === 'query' && personal.test(p.name))
        .map((p) => `${o.method} ${o.path}?${p.name}`),
    );
    expect(inUrls).toEqual([]);
    const searches = operations.filter((o) => /^searchCustomers/.test(o.op.operationId ?? ''));
    expect(searches.map((o) => o.method)).toEqual(['POST', 'POST']);
    // A search is no create: no Idempotency-Key, no write conflicts, a 200
    for (const target of searches) {
      expect(header(target, 'idempotency-key'), target.path).toBeUndefined();
      expect(Object.keys(target.op.responses).filter((s) => s.startsWith('2'))).toEqual(['200']);
      expect(documentedCodes(target.op, 409), target.path).toEqual([]);
    }
  });

  it('searches customers by phone or by name, not both, and refuses the old query parameters', async () => {
    const target = operations.find((o) => o.op.operationId === 'searchCustomers')!;
    const both = await call(demo.advisorA, 'POST', fillPath(target.path), {
      body: { phone: '13800138000', name: '王' },
    });
    expect(both.status).toBe(400);
    expectDocumentedProblem(target, both);
    const list = operations.find((o) => o.op.operationId === 'listCustomers')!;
    const old = await call(demo.advisorA, 'GET', `${fillPath(list.path)}?phone=13800138000`);
    expect(old.status).toBe(400);
    expectDocumentedProblem(list, old);
  });

  it('refuses a tampered page cursor on every list with a documented 400', async () => {
    // Prepare: records whose lists (history, import errors) can be paged
    const base = `/v1/stores/${demo.storeA}`;
    const customer = await call<{ id: string }>(demo.managerA, 'POST', `${base}/customers`, {
      body: { name: '翻页', phones: [{ number: '13700000001' }] },
    });
    const vehicle = await call<{ id: string }>(demo.managerA, 'POST', `${base}/vehicles`, {
      body: { vin: validVin(), brand: 'Audi', model: 'A3' },
    });
    const uploadId = await uploadCsv(demo.managerA, demo.storeA, 'name,phone\n翻页,13700000002\n');
    const job = await call<{ id: string }>(demo.managerA, 'POST', `${base}/imports`, {
      body: { fileName: 'page.csv', uploadId },
    });
    const ids = {
      customerId: customer.body.id,
      vehicleId: vehicle.body.id,
      importId: job.body.id,
      ...(await stockDocuments()),
    };
    // Other records' ids from their lists in the demo data (a new capability's lists need no entry).
    const paths = pathValues(
      doc,
      { storeId: demo.storeA, oemId: demo.oem, ...ids, ...(await stockPathValues()) },
      readAsDemoUser,
    );
    const lists = operations.filter((o) =>
      o.op.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'),
    );
    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const target of lists) {
      // A look-up that needs one of several parameters gets one with a fixed value
      const params = new URLSearchParams({ cursor: 'eyJwayI6Im90aGVyIn0' });
      const needed = target.op.parameters?.find(
        (p) => target.op['x-exactly-one-of']?.includes(p.name) && p.schema?.enum,
      );
      if (needed) params.set(needed.name, String(needed.schema?.enum?.[0]));

      // Act
      const url = `${await paths.fill(target.path)}?${params}`;
      // The manufacturer API's lists: as the OEM's own reviewer (a store's manager is told there is no such OEM).
      const oem = target.path.startsWith('/v1/oems/');
      let res = await call(oem ? demoUserWith(target.op['x-permission']) : demo.managerA, 'GET', url);
      // A list the manager may not read (the parts catalogue's imports): as someone who may.
      if (res.status === 403) res = await call(demoUserWith(target.op['x-permission']), 'GET', url);

      // Assess
      expect(res.status, `${target.op.operationId}: ${res.text}`).toBe(400);
      expectDocumentedProblem(target, res);
    }
  });

  it('accepts every query value its documented pattern and lengths allow', async () => {
    const patterned = operations.flatMap((target) =>
      (target.op.parameters ?? [])
        .filter((p): p is Parameter & { schema: JsonSchema } => p.in === 'query' && !!p.schema?.pattern)
        .map((p) => ({ target, param: p })),
    );
    expect(patterned.map(({ param }) => param.name)).toContain('vin');
    for (const { target, param } of patterned) {
      const { pattern, minLength = 0, maxLength = 200 } = param.schema;
      const values = fc.sample(
        fc.stringMatching(new RegExp(pattern!)).filter((v) => v.length >= minLength && v.length <= maxLength),
        { numRuns: 20, seed: 11 },
      );
      // The manufacturer API as the OEM's own reviewer; everything else as a store's advisor.
      const user = target.path.startsWith('/v1/oems/')
        ? demoUserWith(target.op['x-permission'])
        : demo.advisorA;
      for (const value of values) {
        const res = await call(
          user,
          target.method,
          `${fillPath(target.path)}?${new URLSearchParams({ [param.name]: value })}`,
        );
        expect(res.status, `${param.name}=${JSON.stringify(value)}: ${res.text}`).toBe(200);
      }
    }
  });
});
