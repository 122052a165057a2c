import { PARTS_HEADER } from '@aftersales/domain';
import { importRoutes } from '../imports/routes.ts';

/**
 * 配件目录导入: the catalogue from a manufacturer's price list or an old DMS's parts master, through the
 * imports platform, under the catalogue's path and with its permission (`part:manage`).
 */
export const partImports = importRoutes(PARTS_HEADER, {
  name: 'Part',
  tags: ['Parts'],
  // ASCII only: every character past it costs six bytes of the API's bundle (the README has the Chinese).
  columnsHelp:
    'The first row names the columns, in English or Chinese: `part_number`, `name_zh`, `brand`, `list_price` and `cost` (yuan, at most 2 decimals), and optionally `name_en`, `models` (`A6L; Q5L`), `unit`, `min_stock`, `max_stock`, `supersedes`, `superseded_by`, `default_bin` (`A-03-2-05`). Unknown columns are ignored. A row is matched on its part number, whatever its case and spacing: a new number is added, a known one updated with the cells the row fills (an empty cell keeps the value the catalogue has).',
});
