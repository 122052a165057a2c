import { readdirSync, readFileSync } from 'node:fs';
import { CustomerInput, VehicleInput } from '@aftersales/domain';
import { describe, expect, it } from 'vitest';
import { type CommonMessages, commonMessages } from '../i18n/common.ts';
import { localizeFieldError, schemaErrors, type ZodIssueCode } from './validation.ts';

const zhCN = commonMessages['zh-CN'];
const LANGUAGES: [string, CommonMessages][] = [
  ['zh-CN', zhCN],
  ['en', commonMessages.en],
];
const HAN = /[\u4e00-\u9fff]/;

/** What a zh-CN reader must see: Chinese, and none of the English the validator wrote. */
function expectChinese(shown: string, english: string): void {
  expect(shown).toMatch(HAN);
  expect(shown).not.toContain(english);
}

/** Every UPPER_SNAKE code literal in the domain package: a code added there without a translation fails here. */
function domainCodes(): string[] {
  const dir = new URL('../../../packages/domain/src/', import.meta.url);
  const codes = new Set<string>();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  // platform/identity.ts is Cognito's protocol (flows, challenges): its words are never a field's error.
  const scanned = (f: string) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('identity.ts');
  for (const file of files.filter(scanned)) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    for (const [, code] of source.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) codes.add(code!);
  }
  return [...codes].sort();
}

/** What zod itself says for each of its issue codes (the `satisfies` fails when zod adds one). */
const ZOD_MESSAGES = {
  invalid_type: 'Invalid input: expected number, received string',
  too_small: 'Too small: expected string to have >=1 characters',
  too_big: 'Too big: expected string to have <=120 characters',
  invalid_format: 'Invalid email address',
  not_multiple_of: 'Invalid number: must be a multiple of 10',
  unrecognized_keys: 'Unrecognized key: "sms"',
  invalid_union: 'Invalid input',
  invalid_key: 'Invalid key in record',
  invalid_element: 'Invalid element in map',
  invalid_value: 'Invalid option: expected one of "mobile"|"home"|"work"|"other"',
  custom: 'Send at least one field to change.',
} satisfies Record<ZodIssueCode, string>;

describe('field messages in the user’s language', () => {
  it('gives every code the domain declares a message of its own, in both languages', () => {
    // Prepare
    const codes = domainCodes();
    const english = 'An English sentence written by the server.';

    // Act
    const shown = LANGUAGES.flatMap(([lang, m]) =>
      codes.map((code) => ({
        lang,
        m,
        code,
        text: localizeFieldError({ path: 'x', code, message: english }, m),
      })),
    );

    // Assess
    expect(codes).toEqual(
      expect.arrayContaining(['VIN_CHECK_DIGIT', 'DELIVERY_BEFORE_INVOICE', 'CSV_COLUMNS']),
    );
    for (const { lang, m, code, text } of shown) {
      expect(text, `${lang} ${code}`).not.toBe(m.fieldErrors.invalid);
      expect(text, `${lang} ${code}`).not.toContain(english);
      if (lang === 'zh-CN') expect(text, code).toMatch(HAN);
    }
  });

  it('never shows zod’s own words in zh-CN, for any of its issue codes', () => {
    // Prepare
    const issues = Object.entries(ZOD_MESSAGES).map(([code, message]) => ({ path: 'colour', code, message }));

    // Act
    const shown = issues.map((fe) => [localizeFieldError(fe, zhCN), fe.message] as const);

    // Assess
    for (const [text, english] of shown) expectChinese(text, english);
  });

  it('turns the schemas’ complaints about a badly filled form into Chinese field messages', () => {
    // Prepare
    const customer = CustomerInput.safeParse({ name: '', phones: [{ number: '12' }], email: 'not-an-email' });
    const vehicle = VehicleInput.safeParse({
      vin: 'X',
      brand: '',
      model: 'A4L',
      modelYear: 1800,
      invoiceDate: '2020-13-45',
    });
    if (customer.success || vehicle.success) throw new Error('the test data should be refused');
    const issues = [...customer.error.issues, ...vehicle.error.issues];

    // Act
    const shown = schemaErrors(issues, zhCN);

    // Assess
    expect(Object.keys(shown)).toEqual(
      expect.arrayContaining(['name', 'phones.0.number', 'email', 'brand', 'modelYear', 'invoiceDate']),
    );
    for (const text of Object.values(shown)) expect(text).toMatch(HAN);
    for (const issue of issues) expect(Object.values(shown)).not.toContain(issue.message);
  });

  it('reads a code nobody has translated yet as its family’s problem, else as a plain "not valid"', () => {
    // Prepare
    const untranslated = ['VIN_REGION_UNKNOWN', 'ODOMETER_TOO_FAST', 'CSV_BAD_QUOTES', 'SOMETHING_NEW'];

    // Act
    const shown = untranslated.map((code) =>
      localizeFieldError({ path: 'notes', code, message: 'Brand-new rule nobody translated.' }, zhCN),
    );

    // Assess
    expect(shown).toEqual([
      zhCN.fieldErrors.vinInvalid,
      zhCN.fieldErrors.odometerInvalid,
      zhCN.fieldErrors.csvInvalid,
      zhCN.fieldErrors.invalid,
    ]);
  });

  it('names the unknown keys and the expected check digit, and nothing else of the English text', () => {
    // Act
    const keys = localizeFieldError(
      { path: 'consent', code: 'unrecognized_keys', message: 'Unrecognized keys: "sms", "notes"' },
      zhCN,
    );
    const digit = localizeFieldError(
      {
        path: 'vin',
        code: 'VIN_CHECK_DIGIT',
        message: 'The check digit (9th character) should be 7; re-read the VIN from the vehicle.',
      },
      zhCN,
    );

    // Assess
    expect(keys).toBe('无法识别的字段：sms, 备注。');
    expect(digit).toBe('校验位（第9位）应为 7，请对照车辆重新核对车架号。');
  });
});
