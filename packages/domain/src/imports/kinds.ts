import type * as z from 'zod';
import type { FieldError } from '../platform/errors.ts';
import { type ImportKindName, issuesToFieldErrors } from './model.ts';

/** A row as read from the file: column name → its (non-empty) cell. */
export type RawImportRecord = Record<string, string>;

/**
 * One kind of import (导入类型), declared by the capability that owns the rows it brings in, the way
 * HQ figures are contributed through `defineCapability`. The imports platform reads the file, checks
 * its columns, stores its rows in chunks and reports failed rows; the owner says which columns there
 * are, what their headers may be called, how a row decodes and who may import it.
 */
export interface ImportKindHeader<K extends ImportKindName = ImportKindName, P extends string = string> {
  kind: K;
  /** Needed by every operation on this kind's imports (upload, start, list, progress, failed rows). */
  permission: P;
  columns: {
    required: readonly string[];
    optional: readonly string[];
    /**
     * Header (lower case, blanks as `_`) → column. Each column's own name is an alias of itself; the
     * first alias in another script is the one named when a required column is missing.
     */
    headerAliases: Readonly<Record<string, string>>;
  };
}

/**
 * A kind with its row schema. The header (what the API routes and checks) and the row schema (what
 * the consumer decodes with) are two values, so that the API's bundle takes the header only: a kind is
 * `defineImportKind(HEADER, rowSchema())` with both calls marked pure, which the bundler drops where
 * only the header is used.
 */
export interface ImportKind<K extends ImportKindName = ImportKindName, P extends string = string, T = unknown>
  extends ImportKindHeader<K, P> {
  /** A raw row → the decoded row; its issues are the row's field errors in the report. */
  row: z.ZodType<T, RawImportRecord>;
}

/** A kind's header, checked against the type, its literals kept. */
export function defineImportKindHeader<const K extends ImportKindName, const P extends string>(
  header: ImportKindHeader<K, P>,
): ImportKindHeader<K, P> {
  return header;
}

export function defineImportKind<const K extends ImportKindName, const P extends string, T>(
  header: ImportKindHeader<K, P>,
  row: z.ZodType<T, RawImportRecord>,
): ImportKind<K, P, T> {
  return { ...header, row };
}

/** The column a header names, if any (`Op code` → `code`, `工时代码` → `code`). */
export function columnOf(kind: ImportKindHeader, header: string): string | undefined {
  const key = header.trim().toLowerCase().replace(/\s+/g, '_');
  const { required, optional, headerAliases } = kind.columns;
  const own = [...required, ...optional].find((c) => c.toLowerCase() === key);
  if (own) return own;
  return Object.hasOwn(headerAliases, key) ? headerAliases[key] : undefined;
}

/** `name (姓名)`: how a missing column is named, with its Chinese header when it has one. */
export function describeColumn(kind: ImportKindHeader, column: string): string {
  const zh = Object.entries(kind.columns.headerAliases).find(
    ([alias, c]) => c === column && /[^\p{ASCII}]/u.test(alias),
  )?.[0];
  return zh ? `${column} (${zh})` : column;
}

/** Decodes one row with its kind's schema: the decoded row, or its field errors. */
export function decodeImportRow<T>(
  kind: ImportKind<ImportKindName, string, T>,
  row: RawImportRecord,
): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const parsed = kind.row.safeParse(row);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: issuesToFieldErrors(parsed.error.issues) };
}

/**
 * The header row of a kind's template file: each column under its own name when that is a header
 * (`phone`), else its first ASCII alias (`modelYear` → `model_year`).
 */
export function templateHeaders(kind: ImportKindHeader): string[] {
  return [...kind.columns.required, ...kind.columns.optional].map((column) => {
    if (column === column.toLowerCase()) return column;
    const alias = Object.entries(kind.columns.headerAliases).find(
      ([a, c]) => c === column && /^[\x20-\x7e]+$/.test(a),
    );
    return alias?.[0] ?? column;
  });
}
