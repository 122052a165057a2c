import { type FieldError, issuesToFieldErrors, MAX_IMPORT_ROWS } from '@aftersales/domain';
import type { ApiError, FieldProblem } from '../api/client.ts';
import type { CommonMessages as Messages } from '../i18n/common.ts';
import { interpolate } from '../i18n/format.ts';
import type { FieldErrors } from './forms.tsx';

type FieldMessages = Messages['fieldErrors'];
type Rule = (fe: FieldProblem, e: FieldMessages, m: Messages) => string;

/** zod's issue codes (the schemas' own), as the domain's `issuesToFieldErrors` passes them on. */
export type ZodIssueCode = Parameters<typeof issuesToFieldErrors>[0][number]['code'];

/** The domain's own codes: precise, so they win over anything the field's name suggests. */
const DOMAIN_CODES: Record<string, Rule> = {
  VIN_LENGTH: (_, e) => e.vinLength,
  VIN_CHARACTERS: (_, e) => e.vinCharacters,
  // The message names the expected digit; only that character is taken from it.
  VIN_CHECK_DIGIT: (fe, e) => {
    const digit = /should be ([0-9X])/.exec(fe.message)?.[1];
    return digit ? interpolate(e.vinCheckDigit, { digit }) : e.vinCheckDigitGeneric;
  },
  // The stored warning of a VIN accepted under lenient rules, should it ever be reported as a problem.
  CHECK_DIGIT_MISMATCH: (_, e) => e.vinCheckDigitGeneric,
  DUPLICATE_PHONE: (_, e) => e.phoneDuplicate,
  DELIVERY_BEFORE_INVOICE: (_, e) => e.deliveryBeforeInvoice,
  CUSTOMER_NOT_FOUND: (_, e) => e.customerNotFound,
  ODOMETER_READ_IN_FUTURE: (_, e) => e.odometerInFuture,
  ODOMETER_BEFORE_MODEL_YEAR: (_, e) => e.odometerBeforeModelYear,
  ODOMETER_DECREASED: (_, e) => e.odometerDecreased,
  ODOMETER_ABOVE_LATER_READING: (_, e) => e.odometerAboveLater,
  EMPTY_PATCH: (_, e) => e.nothingToSave,
  CSV_MALFORMED: (_, e) => e.csvMalformed,
  CSV_EMPTY: (_, e) => e.csvEmpty,
  CSV_COLUMNS: (_, e) => e.csvColumns,
  CSV_TOO_LARGE: (_, e) => interpolate(e.csvTooLarge, { n: MAX_IMPORT_ROWS }),
  CSV_NO_ROWS: (_, e) => e.csvNoRows,
  XLSX_MALFORMED: (_, e) => e.xlsxMalformed,
  XLSX_TOO_LARGE: (_, e) => e.xlsxTooLarge,
  CLOSES_BEFORE_OPENING: (_, e) => e.closesBeforeOpening,
  SHIFT_ENDS_BEFORE_START: (_, e) => e.shiftEndsBeforeStart,
  DUPLICATE_ENTRY: (_, e) => e.duplicateEntry,
  NO_WORK: (_, e) => e.noWork,
};

/** A code the domain adds later still reads as its family's problem, never as its English message. */
const DOMAIN_FAMILIES: [prefix: string, rule: Rule][] = [
  ['VIN_', (_, e) => e.vinInvalid],
  ['ODOMETER_', (_, e) => e.odometerInvalid],
  ['CSV_', (_, e) => e.csvInvalid],
  ['XLSX_', (_, e) => e.csvInvalid],
];

/** What a generic schema complaint means for a field people know by name (checked before the code). */
const FIELD_RULES: [path: RegExp, rule: Rule][] = [
  [/(^|\.)phones\.\d+\.number$/, (_, e) => e.phone],
  [/(^|\.)phones$/, (fe, e) => (fe.code === 'too_big' ? e.phoneTooMany : e.phoneRequired)],
  [/(^|\.)email$/, (_, e) => e.email],
  // The upload's declared size: over the limit, or an empty file.
  [/^size$/, (fe, e, m) => (fe.code === 'too_big' ? m.errorCodes.UPLOAD_TOO_LARGE : e.csvInvalid)],
  [/(^|\.)(invoiceDate|deliveryDate|warrantyStart|readAt)$/, (_, e) => e.date],
  [/(^|\.)(modelYear|odometerKm|km)$/, (_, e) => e.number],
  [/(^|\.)plate$/, (_, e) => e.plate],
];

/** Keys named in zod's `Unrecognized keys: "a", "b"`: identifiers, not prose, so they may be shown. */
function unknownKeys(fe: FieldProblem, m: Messages): string {
  const names = m.fields as Record<string, string>;
  const keys = [...fe.message.matchAll(/"([^"]+)"/g)].map((x) => names[x[1]!] ?? x[1]!);
  return interpolate(m.fieldErrors.unknownFields, { keys: keys.join(', ') || '?' });
}

/** Every zod issue code has a message of its own in each language (the `satisfies` keeps it complete). */
const ZOD_CODES = {
  // "expected string, received undefined" is a field left out; any other type is a wrong value.
  invalid_type: (fe, e) => (/received undefined/.test(fe.message) ? e.required : e.invalid),
  too_small: (_, e) => e.required,
  too_big: (_, e) => e.tooLong,
  invalid_format: (_, e) => e.format,
  not_multiple_of: (_, e) => e.number,
  unrecognized_keys: (fe, _, m) => unknownKeys(fe, m),
  invalid_union: (_, e) => e.invalid,
  invalid_key: (_, e) => e.invalid,
  invalid_element: (_, e) => e.invalid,
  invalid_value: (_, e) => e.choose,
  custom: (_, e) => e.invalid,
} satisfies Record<ZodIssueCode, Rule>;
const ZOD_RULES: Record<string, Rule> = ZOD_CODES;

/**
 * A field error in the user's language, whoever produced it (the form's own check, the API's
 * `fieldErrors`, an import report). The English `message` is never shown: a known code has its own
 * text, an unknown one its family's or a generic "not valid" in the user's language.
 */
export function localizeFieldError(fe: FieldProblem, m: Messages): string {
  const e = m.fieldErrors;
  const code = fe.code ?? '';
  const domain = DOMAIN_CODES[code] ?? DOMAIN_FAMILIES.find(([prefix]) => code.startsWith(prefix))?.[1];
  if (domain) return domain(fe, e, m);
  const byField = FIELD_RULES.find(([path]) => path.test(fe.path))?.[1];
  if (byField) return byField(fe, e, m);
  const byCode = ZOD_RULES[code];
  if (byCode) return byCode(fe, e, m);
  return (m.errorCodes as Record<string, string>)[code] ?? e.invalid;
}

function collect(list: readonly FieldError[] | readonly FieldProblem[], m: Messages): FieldErrors {
  const out: FieldErrors = {};
  for (const fe of list) out[fe.path] ??= localizeFieldError(fe, m);
  return out;
}

/** The issues of a failed `safeParse`, by field path. */
export function schemaErrors(issues: Parameters<typeof issuesToFieldErrors>[0], m: Messages): FieldErrors {
  return collect(issuesToFieldErrors(issues), m);
}

export function serverErrors(err: ApiError, m: Messages): FieldErrors {
  return collect(err.fieldErrors, m);
}

/** Empty strings are "not given". */
export function optional(s: string): string | undefined {
  const v = s.trim();
  return v === '' ? undefined : v;
}

/** A number typed into a text box, or undefined when empty; NaN is passed on for the schema to refuse. */
export function optionalNumber(s: string): number | undefined {
  const v = s.trim().replace(/[,，\s]/g, '');
  return v === '' ? undefined : Number(v);
}

/** `customer.phones.0.number` → "客户 · 电话 1"; unknown parts are shown as they are. */
export function fieldLabel(path: string, m: Messages): string {
  const names = m.fields as Record<string, string>;
  const parts = path.split('.');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (/^\d+$/.test(p)) {
      // `phones.0` reads "Phone 1"
      const singular = parts[i - 1] === 'phones' ? names.phone : out[out.length - 1];
      out[out.length - 1] = `${singular ?? ''} ${Number(p) + 1}`;
      continue;
    }
    if (p === 'number' && i > 0) continue;
    out.push(names[p] ?? p);
  }
  return out.join(' · ');
}
