import { LABOUR_OPS_HEADER } from '@aftersales/domain';
import { importRoutes } from '../imports/routes.ts';

/**
 * 工时目录导入: the catalogue from a manufacturer's labour-time guide or an old DMS, through the imports
 * platform, under the catalogue's path and with its permission (`catalogue:manage`).
 */
export const labourOpImports = importRoutes(LABOUR_OPS_HEADER, {
  name: 'LabourOp',
  tags: ['Set-up'],
  // ASCII only: every character past it costs six bytes of the API's bundle (the README has the Chinese).
  columnsHelp:
    'The first row names the columns, in English or Chinese: `code`, `name_zh`, `name_en` (optional), `hours` (steps of 0.1), `model_hours` (optional, `A6L:1.8; Q5L:2.0`), `skill`, `level`, `bay_type`. Unknown columns are ignored. A row is matched on its code, whatever its case: a new code is added, a known one updated.',
});
