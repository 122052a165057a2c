import {
  ChecklistTemplate,
  ChecklistTemplateInput,
  ChecklistTemplatePatch,
  LabourOp,
  LabourOpInput,
  LabourOpPatch,
  StoreSetup,
  StoreSetupInput,
} from '@aftersales/domain';
import { named } from '../platform/bodies.ts';
import { pageOf } from '../platform/http.ts';

/** The set-up's bodies, named for the document (see platform/bodies.ts). */
export const Bodies = named({
  StoreSetupInput,
  StoreSetup,
  LabourOpInput,
  LabourOpPatch,
  LabourOp,
  ChecklistTemplateInput,
  ChecklistTemplatePatch,
  ChecklistTemplate,
});

export const Pages = {
  LabourOpPage: pageOf(Bodies.LabourOp, 'LabourOpPage'),
  ChecklistTemplatePage: pageOf(Bodies.ChecklistTemplate, 'ChecklistTemplatePage'),
};
