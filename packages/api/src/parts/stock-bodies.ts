import {
  DocumentParts,
  MovementRequest,
  ObsoleteStock,
  PartsAvailability,
  PartsAvailabilityQuery,
  PickList,
  StockDocumentType,
} from '@aftersales/domain';
import * as z from 'zod';
import { named } from '../platform/bodies.ts';
import { PageQuery, pageOf, StoreParams } from '../platform/http.ts';
import { Bodies } from './bodies.ts';

/** The stock screens' bodies, named for the document (see platform/bodies.ts); the catalogue's reused. */
export const StockBodies = {
  ...named({ MovementRequest, PickList, DocumentParts, PartsAvailabilityQuery, PartsAvailability }),
  StockMovement: Bodies.StockMovement,
  BinStock: Bodies.BinStock,
};

export const StockPages = {
  BinStockPage: pageOf(Bodies.BinStock, 'BinStockPage'),
  ObsoleteStockPage: pageOf(named({ ObsoleteStock }).ObsoleteStock, 'ObsoleteStockPage'),
};

/** A warehouse, rack, shelf or whole bin to list from (`A`, `A-03`, `A-03-2`): a start of a 四号定位. */
export const BinsQuery = PageQuery.extend({
  location: z
    .string()
    .transform((v) => v.trim().toUpperCase())
    .pipe(
      z
        .string()
        .check(
          z.maxLength(19),
          z.regex(/^([A-Z0-9]{1,4}(-[A-Z0-9]{0,4}){0,3})?$/, 'Give the start of a location, like A-03.'),
        ),
    )
    .optional()
    .meta({
      description: 'Warehouse, rack or shelf to list (`A`, `A-03`); absent: every bin.',
      example: 'A-03',
    }),
});

/** A document whose parts are picked: its type and id. */
export const PickListParams = StoreParams.extend({
  documentType: StockDocumentType.meta({ param: { name: 'documentType', in: 'path' } }),
  documentId: z
    .string()
    .check(z.minLength(1), z.maxLength(60))
    .meta({ param: { name: 'documentId', in: 'path' }, description: 'The booking’s or repair order’s id.' }),
});
