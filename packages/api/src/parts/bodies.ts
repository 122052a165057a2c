import { BinStock, Part, PartInput, PartPatch, PartStock, StockMovement } from '@aftersales/domain';
import * as z from 'zod';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

const Base = named({ PartInput, PartPatch, Part, PartStock, BinStock, StockMovement });

/** The catalogue's bodies, named for the document (see platform/bodies.ts). */
export const Bodies = {
  ...Base,
  ...named({
    /** A catalogue line: the part with its book (帐), as the catalogue page lists it. */
    CataloguePart: Base.Part.extend({ stock: Base.PartStock }),
    /** One part with its book and the bins that hold it (货位卡). */
    PartDetail: Base.Part.extend({ stock: Base.PartStock, bins: z.array(Base.BinStock) }),
  }),
};

export const Pages = {
  CataloguePage: pageOf(Bodies.CataloguePart, 'CataloguePage'),
  StockMovementPage: pageOf(Bodies.StockMovement, 'StockMovementPage'),
};
