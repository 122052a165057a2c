import { GroupFiguresView } from '@aftersales/domain';
import { named } from '../platform/bodies.ts';

/** HQ's bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({ GroupFiguresView });
