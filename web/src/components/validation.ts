import { type FieldError, issuesToFieldErrors } from '@aftersales/domain';
import type { ApiError, FieldProblem } from '../api/client.ts';
import type { Messages } from '../i18n/en.ts';
import { interpolate } from '../i18n/index.tsx';
import type { FieldErrors } from './forms.tsx';

const NUMBER_FIELDS = /(^|\.)(modelYear|odometerKm|km)$/;
const DATE_FIELDS = /(^|\.)(invoiceDate|deliveryDate|warrantyStart)$/;

/**
 * Field errors in the user's language. The domain schemas' messages are English; the common cases
 * are recognised by field and code, anything else keeps the schema's message.
 */
export function localizeFieldError(fe: FieldProblem, m: Messages): string {
  const e = m.fieldErrors;
  const { path, code } = fe;
  if (code === 'VIN_LENGTH') return e.vinLength;
  if (code === 'VIN_CHARACTERS') return e.vinCharacters;
  if (code === 'VIN_CHECK_DIGIT') {
    const digit = /should be ([0-9X])/.exec(fe.message)?.[1];
    return digit ? interpolate(e.vinCheckDigit, { digit }) : e.vinCheckDigitGeneric;
  }
  if (code === 'DELIVERY_BEFORE_INVOICE') return e.deliveryBeforeInvoice;
  if (code === 'CUSTOMER_NOT_FOUND') return e.customerNotFound;
  if (/(^|\.)phones\.\d+\.number$/.test(path)) return e.phone;
  if (/(^|\.)phones$/.test(path) && code === 'too_small') return e.phoneRequired;
  if (/(^|\.)phones$/.test(path) && code === 'too_big') return e.phoneTooMany;
  if (/(^|\.)email$/.test(path)) return e.email;
  if (DATE_FIELDS.test(path)) return e.date;
  if (NUMBER_FIELDS.test(path)) return e.number;
  if (/(^|\.)plate$/.test(path)) return e.plate;
  if (code === 'too_small' || code === 'invalid_type') return e.required;
  if (code === 'too_big') return e.tooLong;
  return fe.message;
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
