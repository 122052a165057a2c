import { AppError, type FieldError, issuesToFieldErrors } from '@aftersales/domain';
import { logger } from '@aftersales/runtime';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** RFC 9457 problem details, with our stable `code` and field errors. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
    detail: z.string(),
    fieldErrors: z
      .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
      .optional(),
  })
  .catchall(z.unknown())
  .openapi('Problem');
export type Problem = z.infer<typeof Problem>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  500: 'Internal Server Error',
};

export function problemResponse(
  c: Context,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Response {
  const body: Problem = {
    // A stable identifier for the kind of problem, not a page: `code` is what clients switch on.
    type: `urn:aftersales:problem:${code.toLowerCase()}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extra,
  };
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, {
    'content-type': 'application/problem+json',
  });
}

export function validationProblem(c: Context, fieldErrors: FieldError[]): Response {
  return problemResponse(c, 400, 'VALIDATION_FAILED', 'The request has invalid fields.', { fieldErrors });
}

/** The zod-openapi hook: every schema failure becomes one 400 with all field errors. */
export function validationHook(
  result:
    | { success: true }
    | { success: false; error: { issues: readonly z.core.$ZodIssue[] }; target?: string },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const prefix = result.target === 'json' ? undefined : result.target;
  return validationProblem(c, issuesToFieldErrors(result.error.issues, prefix));
}

/** Known errors keep their status and code; anything else is a 500 whose message stays in the logs. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    if (err.status >= 500) logger.error('application error', { err });
    return problemResponse(c, err.status, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code =
      status === 400
        ? 'MALFORMED_REQUEST'
        : status === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : status === 413
            ? 'PAYLOAD_TOO_LARGE'
            : `HTTP_${status}`;
    return problemResponse(c, status, code, err.message || TITLES[status] || 'Request refused.');
  }
  logger.error('unhandled error', { err });
  return problemResponse(c, 500, 'INTERNAL', 'Something went wrong on our side; the error was logged.');
}

/** Documented error responses, shared by every route. */
export const errorResponses = {
  400: {
    description: 'Invalid input: see `fieldErrors`.',
    content: { 'application/problem+json': { schema: Problem } },
  },
  401: {
    description: 'No valid bearer token.',
    content: { 'application/problem+json': { schema: Problem } },
  },
  403: {
    description: 'Your role does not allow this.',
    content: { 'application/problem+json': { schema: Problem } },
  },
  404: {
    description: 'Not found in this store (or not yours to see).',
    content: { 'application/problem+json': { schema: Problem } },
  },
} as const;

export const conflictResponses = {
  409: {
    description: 'Conflict: duplicate or stale version.',
    content: { 'application/problem+json': { schema: Problem } },
  },
  428: {
    description: '`If-Match` is required for updates.',
    content: { 'application/problem+json': { schema: Problem } },
  },
} as const;
