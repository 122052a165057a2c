import type { Part } from '../parts/model.ts';
import { type FieldError, ValidationError } from '../platform/errors.ts';
import type { LabourOp } from '../setup/model.ts';
import { hoursFor } from '../setup/rules.ts';
import type { LineWork, LineWorkRequest } from './model.ts';

/** The catalogue entries a line names, as read for it. */
export interface LineCatalogue {
  ops: readonly LabourOp[];
  parts: readonly Part[];
}

/**
 * The line's work priced from the catalogue: each operation at its hours for the vehicle's model
 * (the rate follows from the payer when the line is decided), each part at its list price unless the
 * advisor set one. An unknown or inactive entry is a 400 on its field.
 */
export function lineWorkFrom(request: LineWorkRequest, catalogue: LineCatalogue, model?: string): LineWork {
  const errors: FieldError[] = [];
  const ops = new Map(catalogue.ops.map((o) => [o.id, o]));
  const parts = new Map(catalogue.parts.map((p) => [p.id, p]));
  const labour = request.labour.flatMap(({ labourOpId }, i) => {
    const op = ops.get(labourOpId);
    if (!op?.active) {
      errors.push({
        path: `labour.${i}.labourOpId`,
        code: 'LABOUR_OP_NOT_FOUND',
        message: `No active labour operation ${labourOpId} in this store.`,
      });
      return [];
    }
    const tenths = Math.round(hoursFor(op, model) * 10);
    // The rate is the payer's, set with the line (pricedWork); zero until then.
    return [
      {
        labourOpId,
        code: op.code,
        name: op.name,
        tenths,
        rate: { amountMinor: 0, currency: 'CNY' as const },
      },
    ];
  });
  const partLines = request.parts.flatMap(({ partId, quantity, unitPrice }, i) => {
    const part = parts.get(partId);
    if (!part?.active) {
      errors.push({
        path: `parts.${i}.partId`,
        code: 'PART_NOT_FOUND',
        message: `No active part ${partId} in this store's catalogue.`,
      });
      return [];
    }
    return [
      {
        partId,
        partNumber: part.partNumber,
        name: part.name,
        quantity,
        unitPrice: unitPrice ?? part.listPrice,
      },
    ];
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return { ...request, labour, parts: partLines };
}
