/**
 * Errors every layer throws and the API turns into `application/problem+json`.
 * `code` is stable and machine-readable; `message` is for people; 5xx messages never reach clients.
 */
export interface FieldError {
  /** Dotted path to the offending field, e.g. `phones.0`. */
  path: string;
  message: string;
  code?: string;
}

export class AppError extends Error {
  override readonly name: string = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  constructor(
    readonly fieldErrors: FieldError[],
    message = 'The request has invalid fields.',
  ) {
    super(400, 'VALIDATION_FAILED', message, { fieldErrors });
  }
}

/**
 * A search that takes one of several filters, each served by its own index: two at once would need one of
 * them applied after reading, and its pages would come back short. Names each filter given (a 400
 * `ONE_SEARCH_AT_A_TIME` at `query.<name>`) when more than one is.
 */
export function oneSearchAtATime<K extends string>(
  query: Partial<Record<K, unknown>>,
  filters: readonly K[],
): void {
  const named = filters.filter((k) => query[k] !== undefined);
  if (named.length > 1)
    throw new ValidationError(
      named.map((k) => ({
        path: `query.${k}`,
        code: 'ONE_SEARCH_AT_A_TIME',
        message: `Search by one of ${filters.join(', ')} at a time.`,
      })),
    );
}

/** A record's label as words: `RepairOrder` → `['Repair', 'Order']` (codes, messages and docs use them). */
export function labelWords(label: string): string[] {
  return label.split(/(?<=[a-z0-9])(?=[A-Z])/);
}

/** The 404 code of a record by its label: `RepairOrder` → `REPAIR_ORDER_NOT_FOUND`. */
export function notFoundCode(label: string): string {
  return `${labelWords(label).join('_').toUpperCase()}_NOT_FOUND`;
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  constructor(what: string, id: string) {
    super(404, notFoundCode(what), `${what} ${id} was not found.`);
  }
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
}

export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  constructor(message = 'Your role does not allow this action.', code = 'FORBIDDEN') {
    super(403, code, message);
  }
}

export class UnauthorizedError extends AppError {
  override readonly name = 'UnauthorizedError';
  constructor(message = 'Sign in first: a valid bearer token is required.') {
    super(401, 'UNAUTHENTICATED', message);
  }
}

/** A versioned update whose expected version is no longer current: the client must re-read. */
export class VersionConflictError extends ConflictError {
  constructor(what: string, id: string, currentVersion?: number) {
    super(
      409,
      'VERSION_CONFLICT',
      `${what} ${id} was changed by someone else; reload it and apply your change again.`,
      currentVersion === undefined ? {} : { currentVersion },
    );
  }
}
