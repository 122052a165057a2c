import { CountInput, Stocktake, StocktakeInput, StocktakeTransitionInput } from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The stocktakes' bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({ StocktakeInput, Stocktake, CountInput, StocktakeTransitionInput });

export const Pages = { StocktakePage: pageOf(Bodies.Stocktake, 'StocktakePage') };
