import { AppError, PARTS_IMPORT, type PartImportRow, PartInput } from '@aftersales/domain';
import { defineImporter, type ImportRowApplier } from '../imports/imports.ts';
import { Parts } from './parts.ts';

/** A number taken, or a version moved, by another writer between our read and our write: read again. */
const RACES = new Set(['PART_NUMBER_EXISTS', 'VERSION_CONFLICT']);
const MAX_ATTEMPTS = 3;

/**
 * One catalogue row: a new part number is added, a known one (whatever its case and spacing) gets the
 * cells the row fills, `active` left as it is. Idempotent like the labour-op import: a retried chunk finds
 * the parts its first run wrote, and a row that changes nothing is `unchanged`.
 */
export const applyPartRow: ImportRowApplier<PartImportRow> = async (row, { tenant }) => {
  const parts = tenant.repo(Parts);
  for (let attempt = 1; ; attempt++) {
    try {
      const current = await parts.byNumber(row.partNumber);
      if (!current) {
        await parts.create(PartInput.parse({ ...row, active: true }));
        return { ok: true, outcome: 'created' };
      }
      const { partNumber: _number, name, ...fields } = row;
      // An empty English name cell keeps the one the catalogue has.
      const saved = await parts.update(
        current.id,
        { ...fields, name: { ...current.name, ...name } },
        current.version,
      );
      return { ok: true, outcome: saved.version === current.version ? 'unchanged' : 'updated' };
    } catch (e) {
      // A row's min/max that contradicts the part's other level: the row's error, not the chunk's.
      if (e instanceof AppError && e.code === 'STOCK_LEVELS_INVALID')
        return { ok: false, errors: [{ path: 'maxStock', code: e.code, message: e.message }] };
      if (!(e instanceof AppError && RACES.has(e.code)) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
};

/** The parts catalogue's import kind with its applier, for the imports consumer. */
export const PARTS_IMPORTER = /* @__PURE__ */ defineImporter(PARTS_IMPORT, applyPartRow);
