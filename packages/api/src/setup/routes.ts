import {
  CHECKLIST_TEMPLATE,
  ChecklistTemplates,
  LABOUR_OP,
  LabourOps,
  StoreSetups,
} from '@aftersales/data/setup';
import * as z from 'zod';
import { AuditPage } from '../platform/bodies.ts';
import {
  CREATED_HEADERS,
  etag,
  expectedVersion,
  IdempotencyHeader,
  IfMatchHeader,
  idempotency,
  json,
  PageQuery,
  recordParams,
  StoreParams,
  setCreatedHeaders,
} from '../platform/http.ts';
import { ApiRoutes } from '../platform/route.ts';
import { Bodies, Pages } from './bodies.ts';

/** 门店设置: the store's set-up, its labour-operation catalogue (工时目录) and checklist templates (预检表). */
export const setup = new ApiRoutes();

const tags = ['Set-up'];

setup.openapi(
  {
    method: 'get',
    path: '/',
    operationId: 'getStoreSetup',
    permission: 'setup:read',
    tags,
    summary: 'The store’s set-up: hours, holidays, time zone, bays, rates and tax, service intervals, papers',
    description: 'Before the first save, the defaults with `version` 0 (ETag `"0"`). One read.',
    request: { params: StoreParams },
    responses: { 200: json(Bodies.StoreSetup, 'The set-up', ['ETag']) },
  },
  async (c) => {
    const current = await c.get('tenant').repo(StoreSetups).current(c.get('access').store.timeZone);
    c.header('etag', etag(current.version));
    return c.json(current, 200);
  },
);

setup.openapi(
  {
    method: 'put',
    path: '/',
    operationId: 'replaceStoreSetup',
    permission: 'setup:manage',
    tags,
    summary: 'Save the whole set-up (If-Match required; `"0"` for the first save)',
    request: {
      params: StoreParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.StoreSetupInput } } },
    },
    responses: { 200: json(Bodies.StoreSetup, 'The saved set-up', ['ETag']) },
  },
  async (c) => {
    const saved = await c.get('tenant').repo(StoreSetups).replace(c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(saved.version));
    return c.json(saved, 200);
  },
);

setup.openapi(
  {
    method: 'get',
    path: '/history',
    operationId: 'getStoreSetupHistory',
    permission: 'setup:read',
    tags,
    summary: 'Who changed the set-up, when, and what',
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { tenant } = c.var;
    return c.json(await tenant.repo(StoreSetups).history(tenant.table.tenantId, c.req.valid('query')), 200);
  },
);

const LabourOpParams = recordParams(LABOUR_OP);

setup.openapi(
  {
    method: 'get',
    path: '/labour-ops',
    operationId: 'listLabourOps',
    permission: 'setup:read',
    tags,
    summary: 'The labour-operation catalogue by code, A–Z, paged (optionally from a code prefix)',
    request: {
      params: StoreParams,
      query: PageQuery.extend({
        code: z.string().max(20).optional().meta({
          description: 'Code prefix, case-insensitive; absent lists the whole catalogue.',
          example: 'BRK',
        }),
      }),
    },
    responses: { 200: json(Pages.LabourOpPage, 'Operations') },
  },
  async (c) => {
    const { code, ...page } = c.req.valid('query');
    return c.json(
      await c
        .get('tenant')
        .repo(LabourOps)
        .list(code?.trim() ?? '', page),
      200,
    );
  },
);

setup.openapi(
  {
    method: 'post',
    path: '/labour-ops',
    operationId: 'createLabourOp',
    permission: 'catalogue:manage',
    tags,
    summary: 'Add an operation to the catalogue (its code unique in the store, whatever its case)',
    errors: ['LABOUR_OP_CODE_EXISTS'],
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.LabourOpInput } } },
    },
    responses: {
      201: json(
        Bodies.LabourOp,
        'Created (or, for a repeated Idempotency-Key, the first result)',
        CREATED_HEADERS,
      ),
    },
  },
  async (c) => {
    const body = c.req.valid('json');
    const { labourOp, created } = await c
      .get('tenant')
      .repo(LabourOps)
      .create(body, { idempotency: idempotency(c, body) });
    setCreatedHeaders(c, labourOp, created);
    return c.json(labourOp, 201);
  },
);

setup.openapi(
  {
    method: 'get',
    path: '/labour-ops/{labourOpId}',
    operationId: 'getLabourOp',
    permission: 'setup:read',
    tags,
    summary: 'One operation of the catalogue',
    request: { params: LabourOpParams },
    responses: { 200: json(Bodies.LabourOp, 'The operation', ['ETag']) },
  },
  async (c) => {
    const op = await c.get('tenant').repo(LabourOps).require(c.req.valid('param').labourOpId);
    c.header('etag', etag(op.version));
    return c.json(op, 200);
  },
);

setup.openapi(
  {
    method: 'patch',
    path: '/labour-ops/{labourOpId}',
    operationId: 'updateLabourOp',
    permission: 'catalogue:manage',
    tags,
    summary: 'Edit an operation, or deactivate it with `active: false` (If-Match required)',
    description:
      'Only the fields sent change (at least one); `null` clears an optional field; the code never changes (repair orders and imports match on it).',
    request: {
      params: LabourOpParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.LabourOpPatch } } },
    },
    responses: { 200: json(Bodies.LabourOp, 'The updated operation', ['ETag']) },
  },
  async (c) => {
    const { labourOpId } = c.req.valid('param');
    const updated = await c
      .get('tenant')
      .repo(LabourOps)
      .update(labourOpId, c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(updated.version));
    return c.json(updated, 200);
  },
);

setup.openapi(
  {
    method: 'get',
    path: '/labour-ops/{labourOpId}/history',
    operationId: 'getLabourOpHistory',
    permission: 'setup:read',
    tags,
    summary: 'Who changed this operation, when, and what',
    request: { params: LabourOpParams, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { labourOpId } = c.req.valid('param');
    const repo = c.get('tenant').repo(LabourOps);
    await repo.require(labourOpId);
    return c.json(await repo.history(labourOpId, c.req.valid('query')), 200);
  },
);

const TemplateParams = recordParams(CHECKLIST_TEMPLATE);

setup.openapi(
  {
    method: 'get',
    path: '/checklist-templates',
    operationId: 'listChecklistTemplates',
    permission: 'setup:read',
    tags,
    summary: 'The store’s walk-around checklist templates (预检表), oldest first, paged',
    request: { params: StoreParams, query: PageQuery },
    responses: { 200: json(Pages.ChecklistTemplatePage, 'Templates') },
  },
  async (c) => c.json(await c.get('tenant').repo(ChecklistTemplates).list(c.req.valid('query')), 200),
);

setup.openapi(
  {
    method: 'post',
    path: '/checklist-templates',
    operationId: 'createChecklistTemplate',
    permission: 'setup:manage',
    tags,
    summary: 'Create a checklist template',
    request: {
      params: StoreParams,
      headers: IdempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.ChecklistTemplateInput } } },
    },
    responses: {
      201: json(
        Bodies.ChecklistTemplate,
        'Created (or, for a repeated Idempotency-Key, the first result)',
        CREATED_HEADERS,
      ),
    },
  },
  async (c) => {
    const body = c.req.valid('json');
    const { template, created } = await c
      .get('tenant')
      .repo(ChecklistTemplates)
      .create(body, { idempotency: idempotency(c, body) });
    setCreatedHeaders(c, template, created);
    return c.json(template, 201);
  },
);

setup.openapi(
  {
    method: 'get',
    path: '/checklist-templates/{checklistTemplateId}',
    operationId: 'getChecklistTemplate',
    permission: 'setup:read',
    tags,
    summary: 'One checklist template with its sections and items',
    request: { params: TemplateParams },
    responses: { 200: json(Bodies.ChecklistTemplate, 'The template', ['ETag']) },
  },
  async (c) => {
    const template = await c
      .get('tenant')
      .repo(ChecklistTemplates)
      .require(c.req.valid('param').checklistTemplateId);
    c.header('etag', etag(template.version));
    return c.json(template, 200);
  },
);

setup.openapi(
  {
    method: 'patch',
    path: '/checklist-templates/{checklistTemplateId}',
    operationId: 'updateChecklistTemplate',
    permission: 'setup:manage',
    tags,
    summary: 'Edit a checklist template, or retire it with `active: false` (If-Match required)',
    description: 'Only the fields sent change (at least one); `sections` is replaced as a whole.',
    request: {
      params: TemplateParams,
      headers: IfMatchHeader,
      body: { required: true, content: { 'application/json': { schema: Bodies.ChecklistTemplatePatch } } },
    },
    responses: { 200: json(Bodies.ChecklistTemplate, 'The updated template', ['ETag']) },
  },
  async (c) => {
    const { checklistTemplateId } = c.req.valid('param');
    const updated = await c
      .get('tenant')
      .repo(ChecklistTemplates)
      .update(checklistTemplateId, c.req.valid('json'), expectedVersion(c));
    c.header('etag', etag(updated.version));
    return c.json(updated, 200);
  },
);

setup.openapi(
  {
    method: 'get',
    path: '/checklist-templates/{checklistTemplateId}/history',
    operationId: 'getChecklistTemplateHistory',
    permission: 'setup:read',
    tags,
    summary: 'Who changed this template, when, and what',
    request: { params: TemplateParams, query: PageQuery },
    responses: { 200: json(AuditPage, 'Audit entries, newest first') },
  },
  async (c) => {
    const { checklistTemplateId } = c.req.valid('param');
    const repo = c.get('tenant').repo(ChecklistTemplates);
    await repo.require(checklistTemplateId);
    return c.json(await repo.history(checklistTemplateId, c.req.valid('query')), 200);
  },
);
