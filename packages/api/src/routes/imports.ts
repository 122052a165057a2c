import type { DataAccess } from '@aftersales/data';
import { ValidationError } from '@aftersales/domain';
import { parseImportCsv } from '@aftersales/domain/csv';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { json, PageQuery, StoreParams } from '../http.ts';
import { validationHook } from '../problem.ts';
import { route } from '../route.ts';
import { Bodies, Pages } from '../schemas.ts';

/** CSV import of customers and vehicles from a store's old system, run as a queued job. */
export function imports(_data: DataAccess) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const ImportParams = StoreParams.extend({
    importId: z.string().openapi({ param: { name: 'importId', in: 'path' } }),
  });

  app.openapi(
    route({
      method: 'post',
      path: '/',
      operationId: 'startImport',
      permission: 'registry:import',
      tags: ['Imports'],
      summary: 'Start an import: the file is checked now, rows are imported by a queued job',
      request: {
        params: StoreParams,
        body: { required: true, content: { 'application/json': { schema: Bodies.ImportRequest } } },
      },
      responses: { 202: json(Bodies.ImportJob, 'Accepted; poll the job for progress', ['Location']) },
    }),
    async (c) => {
      const { fileName, csv } = c.req.valid('json');
      const parsed = parseImportCsv(csv);
      if (!parsed.ok) throw new ValidationError(parsed.fieldErrors, 'The file cannot be imported.');
      if (parsed.rows.length === 0)
        throw new ValidationError([
          { path: 'csv', code: 'CSV_NO_ROWS', message: 'The file has a header but no rows.' },
        ]);
      // Each stored chunk's event reaches the import consumer through the table's stream: nothing to send.
      const job = await c.get('tenant').imports.create(fileName, parsed.rows, parsed.unknownHeaders);
      c.header('location', `${c.req.path.replace(/\/$/, '')}/${job.id}`);
      return c.json(job, 202);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/',
      operationId: 'listImports',
      permission: 'registry:import',
      tags: ['Imports'],
      summary: 'Recent imports, newest first',
      request: { params: StoreParams, query: PageQuery },
      responses: { 200: json(Pages.ImportJobPage, 'Import jobs') },
    }),
    async (c) => {
      return c.json(await c.get('tenant').imports.list(c.req.valid('query')), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/{importId}',
      operationId: 'getImport',
      permission: 'registry:import',
      tags: ['Imports'],
      summary: 'Progress of one import',
      request: { params: ImportParams },
      responses: { 200: json(Bodies.ImportJob, 'The job') },
    }),
    async (c) => {
      return c.json(await c.get('tenant').imports.get(c.req.valid('param').importId), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/{importId}/errors',
      operationId: 'getImportErrors',
      permission: 'registry:import',
      tags: ['Imports'],
      summary: 'Row-by-row error report',
      request: { params: ImportParams, query: PageQuery.pick({ cursor: true }) },
      responses: { 200: json(Pages.ImportRowErrorPage, 'Rows that were not imported, with reasons') },
    }),
    async (c) => {
      return c.json(
        await c.get('tenant').imports.errors(c.req.valid('param').importId, c.req.valid('query')),
        200,
      );
    },
  );
  return app;
}
