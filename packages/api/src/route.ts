import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { type Access, requirePermission } from './auth.ts';
import { type ErrorCode, problemResponses } from './problem.ts';

/**
 * An operation of the API, declared once: its OpenAPI description, the permission it needs and the
 * error codes of its own (beyond those that follow from its shape).
 */
export type RouteSpec = Omit<RouteConfig, 'middleware' | 'operationId'> & {
  /** Stable name of the operation for generated clients, e.g. `updateCustomer`. */
  operationId: string;
  /** Enforced by `requirePermission` before any input is validated; published as `x-permission`. */
  permission: Access;
  /** Codes only this operation's logic produces (uniqueness, state rules). */
  errors?: readonly ErrorCode[];
};

/** A record named in the path may not exist (or not be the caller's to see). */
const PATH_NOT_FOUND: Record<string, ErrorCode> = {
  storeId: 'STORE_NOT_FOUND',
  customerId: 'CUSTOMER_NOT_FOUND',
  vehicleId: 'VEHICLE_NOT_FOUND',
  importId: 'IMPORT_NOT_FOUND',
  groupId: 'GROUP_NOT_FOUND',
};

/** Codes that come with a query parameter or request header the operation declares. */
const PARAMETER_ERRORS: Record<string, readonly ErrorCode[]> = {
  cursor: ['INVALID_CURSOR'],
  'if-match': ['PRECONDITION_REQUIRED', 'INVALID_IF_MATCH', 'VERSION_CONFLICT'],
  'idempotency-key': ['INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED'],
};

/** The fields of an object schema (structurally: the domain's zod may be another instance). */
function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}

/** Every code an operation can answer with, from its declaration. */
export function errorCodesOf(spec: RouteSpec): ErrorCode[] {
  const { params, query, headers, body } = spec.request ?? {};
  const codes: ErrorCode[] = [
    'UNAUTHENTICATED',
    'NOT_PROVISIONED',
    'INTERNAL',
    'READ_INCOMPLETE',
    ...(spec.errors ?? []),
  ];
  if (spec.permission !== 'signed-in') codes.push('FORBIDDEN');
  for (const key of keysOf(params)) {
    const notFound = PATH_NOT_FOUND[key];
    if (notFound) codes.push(notFound);
  }
  for (const key of [...keysOf(query), ...keysOf(headers)]) codes.push(...(PARAMETER_ERRORS[key] ?? []));
  if (query || headers || body) codes.push('VALIDATION_FAILED');
  if (body) codes.push('MALFORMED_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE');
  // Every write is a conditional transaction: a concurrent one on the same records can cancel it.
  if (spec.method !== 'get') codes.push('CONCURRENT_UPDATE', 'CONDITION_FAILED');
  return codes;
}

/**
 * `createRoute` with the permission check attached ahead of validation and the problem responses
 * (with their `code` enums) derived from the declaration, so no route repeats them.
 */
export function route<const R extends RouteSpec>(spec: R) {
  const { permission, errors: _ownErrors, ...config } = spec;
  return createRoute({
    ...config,
    'x-permission': permission,
    middleware: requirePermission(permission),
    responses: { ...config.responses, ...problemResponses(errorCodesOf(spec)) } as R['responses'],
  });
}
