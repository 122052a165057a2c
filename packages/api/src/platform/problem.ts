import { declaredAggregates } from '@aftersales/data';
import { AppError, type FieldError, issuesToFieldErrors, labelWords, notFoundCode } from '@aftersales/domain';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';
import { requestLog } from './auth.ts';

/** RFC 9457 problem details, with our stable `code` and field errors (named `Problem` in the document). */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    code: z.string().meta({ example: 'VALIDATION_FAILED' }),
    detail: z.string(),
    fieldErrors: z
      .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
      .optional(),
  })
  .catchall(z.unknown());
export type Problem = z.infer<typeof Problem>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
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

/** The validators' hook (route.ts): every schema failure becomes one 400 with all field errors. */
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
    if (err.status >= 500) requestLog(c).error('application error', { err });
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
  requestLog(c).error('unhandled error', { err });
  return problemResponse(c, 500, 'INTERNAL', 'Something went wrong on our side; the error was logged.');
}

/**
 * Every problem `code` the API answers with: its status and when it happens. The one place a code is
 * declared for clients; each operation documents the subset it can return (see openapi-document.ts).
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, when: 'A field, parameter or header is invalid: see `fieldErrors`.' },
  MALFORMED_REQUEST: { status: 400, when: 'The body is not valid JSON.' },
  INVALID_CURSOR: {
    status: 400,
    when: 'The page cursor is not one this list issued: start from the first page.',
  },
  INVALID_IF_MATCH: { status: 400, when: '`If-Match` is not an ETag this API issued (e.g. `"3"`).' },
  INVALID_IDEMPOTENCY_KEY: {
    status: 400,
    when: '`Idempotency-Key` is not 8–100 letters, digits, `-` or `_`.',
  },
  UNAUTHENTICATED: { status: 401, when: 'No valid bearer token (missing, expired or not for this API).' },
  SESSION_REVOKED: {
    status: 401,
    when: 'The token was issued before the user signed out (or was signed out by an administrator): sign in again.',
  },
  NOT_PROVISIONED: { status: 403, when: 'The account has no membership in any organisation yet.' },
  ACCOUNT_DISABLED: { status: 403, when: 'The account is disabled.' },
  MFA_ENROLMENT_REQUIRED: {
    status: 403,
    when: 'Your role requires two-step sign-in (TOTP) and you have not enrolled: set it up, then `POST /v1/session/mfa`.',
  },
  FORBIDDEN: {
    status: 403,
    when: 'Your roles in this store do not grant the permission the operation needs.',
  },
  STORE_NOT_FOUND: { status: 404, when: 'No store with this id that you can access.' },
  GROUP_NOT_FOUND: { status: 404, when: 'No dealer group with this id that you can access.' },
  OEM_NOT_FOUND: { status: 404, when: 'No manufacturer (OEM) with this id that you can access.' },
  WEBHOOK_ENDPOINT_LIMIT: {
    status: 409,
    when: 'The OEM already has the most webhook endpoints it may have (50): remove one first.',
  },
  UPLOAD_NOT_FOUND: {
    status: 404,
    when: 'No uploaded file with this `uploadId` in the store: not uploaded (yet), or more than a day old.',
  },
  PHOTO_NOT_FOUND: { status: 404, when: 'No sealed photo with this id on the repair order.' },
  LINK_NOT_FOUND: { status: 404, when: 'The vehicle has no current link to that customer in that role.' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    when: 'The path exists but not with this method: the `Allow` header lists the methods it takes.',
  },
  MFA_NOT_SET_UP: {
    status: 409,
    when: 'The identity provider has no verified TOTP authenticator for you yet.',
  },
  VERSION_CONFLICT: {
    status: 409,
    when: 'The record changed since the ETag you sent in `If-Match`: reload it and apply your change again.',
  },
  CONCURRENT_UPDATE: { status: 409, when: 'Another change to the same records was in progress; retry.' },
  CONDITION_FAILED: { status: 409, when: 'The record changed while the request ran; reload and retry.' },
  VEHICLE_VIN_EXISTS: { status: 409, when: 'A vehicle with this VIN is already registered in the store.' },
  LABOUR_OP_CODE_EXISTS: {
    status: 409,
    when: 'The catalogue already has an operation with this code (codes compare without case).',
  },
  // 配件目录: the catalogue's own rules.
  PART_NUMBER_EXISTS: {
    status: 409,
    when: 'The catalogue already has a part with this number (numbers compare without case or spaces); `existingPartId` names it.',
  },
  STOCK_LEVELS_INVALID: {
    status: 409,
    when: 'The edit would leave max stock below min stock (the one sent against the one kept).',
  },
  USERNAME_TAKEN: {
    status: 409,
    when: 'The username is taken (usernames are unique across every store): choose another.',
  },
  LAST_MANAGER: {
    status: 409,
    when: 'You are the store’s last active service manager: make someone else manager before you disable, remove or demote yourself.',
  },
  STAFF_REMOVED: { status: 409, when: 'The person was removed from the store; add them again instead.' },
  ALREADY_OWNER: { status: 409, when: 'The customer already owns the vehicle.' },
  LINK_EXISTS: { status: 409, when: 'The customer is already linked to the vehicle in that role.' },
  LINK_ALREADY_ENDED: { status: 409, when: 'That link was already ended.' },
  ODOMETER_DECREASED: { status: 409, when: 'The reading is lower than one dated before it.' },
  ODOMETER_ABOVE_LATER_READING: { status: 409, when: 'The reading is higher than one dated after it.' },
  // The public booking page (在线预约): its proof of work and the store's calendar.
  PROOF_INVALID: {
    status: 400,
    when: 'The proof of work is not for a challenge this store’s page issued, or its nonce does not solve it.',
  },
  PROOF_EXPIRED: { status: 400, when: 'The challenge has expired: ask for a new one.' },
  PROOF_ALREADY_USED: {
    status: 409,
    when: 'The challenge was already used for a request: ask for a new one.',
  },
  CAPACITY_FULL: {
    status: 409,
    when: 'The day has no room for the booking’s hours: the body names `nextDays` with room and, in a group, `sisterStores` with room that day. An urgent safety fault may overbook.',
  },
  STORE_CLOSED: { status: 409, when: 'The store is closed that day (a closed weekday or a holiday).' },
  OUTSIDE_OPENING_HOURS: { status: 409, when: 'The time is outside the store’s opening hours that day.' },
  SLOT_IN_PAST: { status: 409, when: 'The slot has already passed.' },
  LABOUR_OP_UNAVAILABLE: {
    status: 409,
    when: 'A labour operation is no longer offered (deactivated in the catalogue): `labourOpIds` names them.',
  },
  APPOINTMENT_CLOSED: {
    status: 409,
    when: 'The booking is checked in, missed or cancelled: its work, slot and link no longer change.',
  },
  APPOINTMENT_TRANSITION_NOT_ALLOWED: {
    status: 409,
    when: 'The booking cannot move from its status to the one asked: `allowed` lists where it can go.',
  },
  NO_SHOW_BEFORE_START: {
    status: 409,
    when: 'A no-show can be marked only once the booking’s slot has begun.',
  },
  REQUEST_NOT_LINKED: {
    status: 409,
    when: 'A public request is linked to a customer and vehicle before it is confirmed.',
  },
  // 仓库: the stock ledger's refusals.
  INSUFFICIENT_STOCK: {
    status: 409,
    when: 'Not enough stock for the movement: `where` says whether `available` (on hand less reserved), the `bin` or the document’s `reservation` is short, `asked` and `have` the quantities.',
  },
  PART_INACTIVE: {
    status: 409,
    when: 'The part is retired from the catalogue: it is neither received nor reserved.',
  },
  SAME_BIN: { status: 409, when: 'A transfer names the bin it leaves as the bin it goes to.' },
  CUSTODY_BIN: {
    status: 409,
    when: 'The write-off location holds written-off stock in custody: nothing is issued from, put into or moved into it but by a write-off.',
  },
  OLD_PART_NOT_RETURNED: {
    status: 409,
    when: '以旧换新: a part is issued against a repair order only once the old part is handed in (`oldPartReturned: true`).',
  },
  // Stocktakes and write-offs (盘点 · 报损).
  STOCKTAKE_SCOPE_TOO_LARGE: {
    status: 409,
    when: 'The scope has more bins than one count sheet holds (`max`): count a warehouse, rack or shelf at a time.',
  },
  STOCKTAKE_SCOPE_EMPTY: {
    status: 409,
    when: 'No bins to count in this scope (for a spot check: none moved that day).',
  },
  STOCKTAKE_CLOSED: { status: 409, when: 'The stocktake is posted or cancelled: it takes no counts.' },
  STOCKTAKE_TRANSITION_NOT_ALLOWED: {
    status: 409,
    when: 'The stocktake cannot move from its status to the one asked: `allowed` lists where it can go.',
  },
  STOCKTAKE_NOT_COUNTED: { status: 409, when: 'Some lines have no count yet: `uncounted` names them.' },
  VARIANCE_UNEXPLAINED: {
    status: 409,
    when: 'Some differences have no reason: each is explained before the stocktake posts (`lines`).',
  },
  STOCK_MOVED_SINCE_COUNT: {
    status: 409,
    when: 'Bins with a difference moved since they were counted: nothing is posted; `lines` names them (with the book at the count and now) to recount.',
  },
  WRITE_OFF_TRANSITION_NOT_ALLOWED: {
    status: 409,
    when: 'The write-off is no longer pending: `allowed` lists where it can go.',
  },
  WRITE_OFF_APPROVALS_MISSING: {
    status: 409,
    when: 'Not all three have confirmed (service manager, claims supervisor, parts supervisor): `missing` names who.',
  },
  WRITE_OFF_ROLE_NOT_HELD: {
    status: 403,
    when: 'You do not hold the role you tried to confirm as in this store.',
  },
  // Purchasing and receiving (采购 · 入库).
  PURCHASE_PLAN_TRANSITION_NOT_ALLOWED: {
    status: 409,
    when: 'The plan is not at this approval step (parts manager first, then the after-sales manager): `allowed` lists its moves.',
  },
  PURCHASE_PLAN_NOT_DRAFT: {
    status: 409,
    when: 'The plan is approved or rejected: its lines no longer change.',
  },
  PURCHASE_PLAN_EMPTY: { status: 409, when: 'The plan has no line to buy.' },
  PURCHASE_PLAN_TOO_LONG: { status: 409, when: 'A plan holds at most 200 lines: start another.' },
  PURCHASE_PLAN_NOT_APPROVED: {
    status: 409,
    when: 'Orders are placed only from a plan both managers approved.',
  },
  PLAN_LINE_ALREADY_ORDERED: {
    status: 409,
    when: 'A plan line is ordered once: `planLineIds` names those already ordered.',
  },
  PURCHASE_ORDER_CLOSED: { status: 409, when: 'The order is closed: everything was received or cancelled.' },
  RECEIPT_STEP_NOT_ALLOWED: {
    status: 409,
    when: 'The inspections go in order (delivery note, receipt, put-away): `allowed` names the next step.',
  },
  RECEIPT_LINE_PUT_AWAY: { status: 409, when: 'The line was already put away.' },
  // Repair orders (维修工单): the order's and its lines' state machines, quotes, clocking, 三检, settlement.
  REPAIR_ORDER_TRANSITION_NOT_ALLOWED: {
    status: 409,
    when: 'The repair order cannot move from its status to the one asked: `allowed` lists where it can go.',
  },
  JOB_LINE_TRANSITION_NOT_ALLOWED: {
    status: 409,
    when: 'The job line cannot move from its status to the one asked (`lineId`, `from`, `to`, `allowed`): e.g. work not yet approved is dispatched, or a line is decided twice.',
  },
  APPOINTMENT_ALREADY_CHECKED_IN: {
    status: 409,
    when: 'The booking was already checked in: `repairOrderId` names its repair order.',
  },
  REPAIR_ORDER_CLOSED: {
    status: 409,
    when: 'The repair order is settled, delivered or cancelled: its work no longer changes.',
  },
  PHOTO_NOT_UPLOADED: {
    status: 409,
    when: 'No uploaded file for this `photoId` yet: PUT it to the upload URL, then seal it again.',
  },
  PHOTO_LIMIT_REACHED: { status: 409, when: 'The repair order keeps as many photos as it may (`max`).' },
  JOB_LINE_NOT_ON_ORDER: { status: 409, when: 'The repair order has no line with this id (`lineId`).' },
  NOTHING_TO_QUOTE: { status: 409, when: 'No line waits to be quoted: add or change work first.' },
  NOTHING_TO_APPROVE: {
    status: 409,
    when: 'The repair order has no quote with lines awaiting the customer’s approval: quote the work first.',
  },
  CUSTOMER_HAS_NO_PHONE: { status: 409, when: 'The customer has no phone number to text the link to.' },
  // 远程确认: the customer's one-time link.
  APPROVAL_LINK_NOT_FOUND: { status: 404, when: 'No such link in this store: mistyped, or not ours.' },
  APPROVAL_LINK_EXPIRED: { status: 410, when: 'The link is past its 24 hours: the store sends a new one.' },
  APPROVAL_LINK_USED: { status: 410, when: 'The link was already used to answer: it works once.' },
  APPROVAL_LINK_OUTDATED: {
    status: 410,
    when: 'A newer quote was issued, or the quote was answered at the counter, since the link was sent.',
  },
  QUOTE_VERSION_OUTDATED: {
    status: 409,
    when: 'The quote version approved is not the current one (`currentVersion`): the customer must see the current prices.',
  },
  LINE_NOT_OFFERED: {
    status: 409,
    when: 'The quote version does not put these lines (`lineIds`) to the customer.',
  },
  TECHNICIAN_ALREADY_CLOCKED_ON: {
    status: 409,
    when: 'The technician is clocked on another line (`openClockings`) and the store allows one at a time.',
  },
  NOT_CLOCKED_ON: { status: 409, when: 'The technician is not clocked on this line.' },
  QUALITY_CHECK_OUT_OF_ORDER: {
    status: 409,
    when: 'The checks go self, team, final (三检): `due` names the one the line waits for (null: not in the checks).',
  },
  PAYMENT_MISMATCH: {
    status: 409,
    when: 'The payments do not add up to the customer’s share: `due` and `paid` in fen.',
  },
  REPAIR_ORDER_NOT_SETTLED: {
    status: 409,
    when: 'A car is delivered only once the customer’s share is settled.',
  },
  ADD_ON_OUTSIDE_WORKSHOP: {
    status: 409,
    when: 'Add-on work (增修) is reported while the order is in progress, in the checks or ready (`status`).',
  },
  NOT_A_TECHNICIAN: { status: 409, when: 'The person named is not an active technician of the store.' },
  TECHNICIAN_NOT_QUALIFIED: {
    status: 409,
    when: 'The technician lacks the skill or level of these operations (`ops`: code, skill, level).',
  },
  CHECKER_NOT_ALLOWED: {
    status: 403,
    when: 'Self check by the line’s technician, team check by another technician, final check by the workshop manager or technical director (the workshop manager may give the first two).',
  },
  PARTS_NOT_ISSUABLE: {
    status: 409,
    when: 'Parts are issued to approved work not yet through its checks (`status` of the line).',
  },
  PART_NOT_ON_LINE: { status: 409, when: 'The job line has no such part (`partId`).' },
  PART_ISSUE_EXCEEDS_LINE: {
    status: 409,
    when: 'More than the line’s approved quantity would be issued (`onLine`, `issued`).',
  },
  PART_RETURN_EXCEEDS_ISSUED: { status: 409, when: 'More would be returned than was issued (`issued`).' },
  LINE_NOT_YOURS: {
    status: 409,
    when: 'A technician clocks on lines given to them (`technicianId` has this one).',
  },
  ESCALATION_NOT_ALLOWED: {
    status: 409,
    when: 'A declined line, or one done or in its checks, is not put to the technical director (`status`).',
  },
  ESCALATION_ALREADY_OPEN: {
    status: 409,
    when: 'The line already waits for the technical director’s answer (会诊, `escalatedAt`).',
  },
  NO_OPEN_ESCALATION: { status: 409, when: 'The line has no question waiting for the technical director.' },
  LINE_ESCALATED: {
    status: 409,
    when: 'The line waits for the technical director’s answer (会诊): nobody clocks on it until then.',
  },
  // 索赔 (warranty claims)
  REPAIR_ORDER_NOT_CLOSED: {
    status: 409,
    when: 'A claim is filed from a settled or delivered repair order (`status` is the order’s).',
  },
  NOTHING_TO_CLAIM: {
    status: 409,
    when: 'The order has no line of the claim’s payer (warranty or goodwill) that passed its final check.',
  },
  NO_FRANCHISE_OEM: {
    status: 409,
    when: 'The store is franchised by no manufacturer that builds this vehicle (brand and VIN maker code).',
  },
  LINE_ALREADY_CLAIMED: { status: 409, when: 'The repair-order line is on another live claim (`claimId`).' },
  CLAIM_NOT_EDITABLE: {
    status: 409,
    when: 'Only a draft or a claim returned for information is edited or submitted (`status`).',
  },
  CLAIM_PRECHECK_FAILED: {
    status: 409,
    when: 'The pre-check found errors: `findings` lists them (mend them, then submit).',
  },
  CLAIM_TRANSITION_NOT_ALLOWED: {
    status: 409,
    when: 'The claim’s status does not allow this move (`from`, `to`, `allowed`).',
  },
  CLAIM_ALREADY_APPEALED: { status: 409, when: 'A claim is appealed once.' },
  CLAIMED_PART_STATUS: {
    status: 409,
    when: 'The kept part is not in the state this needs (`partId`, `status`): e.g. shipped only once asked back.',
  },
  NO_DISCREPANCY: { status: 409, when: 'The receipt has no discrepancy report.' },
  CLAIM_SETTLED: { status: 409, when: 'The claim is already settled.' },
  PAYLOAD_TOO_LARGE: { status: 413, when: 'The body is larger than 1 MiB (files go to S3: see imports).' },
  UPLOAD_TOO_LARGE: { status: 413, when: 'The uploaded file is larger than 8 MiB.' },
  PHOTO_TOO_LARGE: { status: 413, when: 'The uploaded photo is larger than 10 MiB.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: 'The body is not `application/json`.' },
  PHOTO_TYPE_NOT_ALLOWED: { status: 415, when: 'The uploaded photo is not a JPEG, PNG or WebP image.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    when: 'This `Idempotency-Key` was already used for a different request.',
  },
  PRECONDITION_REQUIRED: {
    status: 428,
    when: '`If-Match` is missing: send the ETag of the version you edited.',
  },
  RATE_LIMITED: {
    status: 429,
    when: 'Too many requests from you, or from your store or group as a whole: wait the seconds `Retry-After` says.',
  },
  INTERNAL: { status: 500, when: 'Something went wrong on our side; the error was logged.' },
  READ_INCOMPLETE: {
    status: 503,
    when: 'The database was too busy to return every record asked for; retry (a part is never returned).',
  },
} as const satisfies Record<string, { status: number; when: string }>;
/** A fixed code, or the 404 of a declared aggregate (`REPAIR_ORDER_NOT_FOUND`, see `errorCatalogue`). */
export type ErrorCode = keyof typeof ERROR_CODES | `${string}_NOT_FOUND`;

/**
 * Every code with its status and when it happens: the fixed ones above, and a 404 for each declared
 * aggregate (`defineAggregate`), so a new aggregate's not-found code is documented without a line here.
 */
export function errorCatalogue(): Readonly<Record<string, { status: number; when: string }>> {
  const catalogue: Record<string, { status: number; when: string }> = { ...ERROR_CODES };
  for (const { label } of declaredAggregates())
    catalogue[notFoundCode(label)] = {
      status: 404,
      when: `No ${labelWords(label).join(' ').toLowerCase()} with this id in the store.`,
    };
  return catalogue;
}
