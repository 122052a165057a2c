import { LABOUR_OPS_IMPORT } from '@aftersales/domain';
import { importRoutes } from '../imports/routes.ts';

/**
 * 工时目录导入: the catalogue from a manufacturer's labour-time guide or an old DMS, through the imports
 * platform, under the catalogue's path and with its permission (`catalogue:manage`).
 */
export const labourOpImports = importRoutes(LABOUR_OPS_IMPORT, {
  name: 'LabourOp',
  tags: ['Set-up'],
  columnsHelp:
    'The first row names the columns, in English or Chinese: `code`/`工时代码`, `name_zh`/`工时名称`, `name_en`/`英文名称` (optional), `hours`/`标准工时` (steps of 0.1), `model_hours`/`车型工时` (optional, `A6L:1.8; Q5L:2.0`), `skill`/`技能`, `level`/`技师等级`, `bay_type`/`工位类型`; skill, level and bay type take our values or their Chinese words (`发动机`, `高级`, `四轮定位`…). Unknown columns are ignored. A row is matched on its code, whatever its case: a new code is added, a known one updated (its `active` untouched).',
});
