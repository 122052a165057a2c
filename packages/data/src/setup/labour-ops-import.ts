import { AppError, LABOUR_OPS_IMPORT, type LabourOpImportRow } from '@aftersales/domain';
import { defineImporter, type ImportRowApplier } from '../imports/imports.ts';
import { codeKey, LabourOps } from './labour-ops.ts';

/** A code taken, or a version moved, by another writer between our read and our write: read again. */
const RACES = new Set(['LABOUR_OP_CODE_EXISTS', 'VERSION_CONFLICT']);
const MAX_ATTEMPTS = 3;

/**
 * One catalogue row: a new code is added, a known one (whatever its case) gets the row's fields, `active`
 * left as it is. Idempotent: a retried chunk finds the operations its first run wrote, and a row that
 * changes nothing is `unchanged` (the guard that refuses a second operation of a code makes a race with
 * ourselves a re-read, never a duplicate).
 */
export const applyLabourOpRow: ImportRowApplier<LabourOpImportRow> = async (row, { tenant }) => {
  const ops = tenant.repo(LabourOps);
  for (let attempt = 1; ; attempt++) {
    try {
      // The code's guard names its operation (one Query, then one read); kept out of the repository
      // class, whose methods all ship in the API's bundle.
      const [id] = await ops.lookup('code', codeKey(row.code));
      const current = id ? await ops.get(id) : undefined;
      if (!current) {
        await ops.create({ ...row, active: true });
        return { ok: true, outcome: 'created' };
      }
      const { code: _code, ...fields } = row;
      const saved = await ops.update(current.id, fields, current.version);
      return { ok: true, outcome: saved.version === current.version ? 'unchanged' : 'updated' };
    } catch (e) {
      if (!(e instanceof AppError && RACES.has(e.code)) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
};

/** The catalogue's import kind with its applier, for the imports consumer. */
export const LABOUR_OPS_IMPORTER = /* @__PURE__ */ defineImporter(LABOUR_OPS_IMPORT, applyLabourOpRow);
