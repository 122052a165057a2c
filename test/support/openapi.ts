import { expect } from 'vitest';
import type { ApiResponse } from './api.ts';
import { stack } from './api.ts';
import type { JsonSchema } from './schema-arbitrary.ts';

/** The parts of the live /openapi.json the contract tests read. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: JsonSchema & { description?: string };
}
export interface MediaType {
  schema?: JsonSchema & { allOf?: (JsonSchema & { properties?: Record<string, JsonSchema> })[] };
}
export interface Response {
  description: string;
  headers?: Record<string, { required?: boolean; schema?: JsonSchema }>;
  content?: Record<string, MediaType>;
}
export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  'x-permission'?: string;
  'x-exactly-one-of'?: string[];
  'x-at-most-one-of'?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses: Record<string, Response>;
}
export interface OpenApiDoc {
  openapi: string;
  info: { title: string; license?: { name: string; identifier?: string; url?: string } };
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, JsonSchema & { additionalProperties?: unknown; minProperties?: number }>;
    securitySchemes?: Record<string, Record<string, unknown>>;
  };
}

export interface DocOperation {
  method: string;
  /** The documented path, e.g. `/v1/stores/{storeId}/customers/{customerId}`. */
  path: string;
  op: Operation;
}

export async function liveDocument(): Promise<OpenApiDoc> {
  const res = await fetch(`${stack.url}/openapi.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as OpenApiDoc;
}

export function operationsOf(doc: OpenApiDoc): DocOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

/** The `code` enum an operation documents for a status (empty when the status is not documented). */
export function documentedCodes(op: Operation, status: number): string[] {
  const schema = op.responses[String(status)]?.content?.['application/problem+json']?.schema;
  const own = schema?.allOf?.find((part) => part.properties?.code)?.properties?.code;
  return (own?.enum ?? []) as string[];
}

/** Every problem the API answers must carry a code the operation documents for that status. */
export function expectDocumentedProblem(target: DocOperation, res: ApiResponse<unknown>): void {
  if (res.status < 400) return;
  const code = (res.body as { code?: unknown } | undefined)?.code;
  expect(
    documentedCodes(target.op, res.status),
    `${target.method} ${target.path} answered ${res.status} ${String(code)}, which it does not document`,
  ).toContain(code);
}
