import { countedRoles, type HeadCountFigure, headCountFigure, STAFF, StoreRole } from '@aftersales/domain';
import { declareFigureCounting, everyItem } from '../platform/figures.ts';
import { StaffMembers } from './staff.ts';

/** Head counts by role from the store's staff records (one Query a page of the list). */
declareFigureCounting(STAFF, async (store) => {
  const counts = Object.fromEntries(StoreRole.options.map((r) => [headCountFigure(r), 0])) as Record<
    HeadCountFigure,
    number
  >;
  for await (const person of everyItem((cursor) => store.repo(StaffMembers).list({ limit: 200, cursor })))
    for (const role of countedRoles(person)) {
      const figure = headCountFigure(role);
      counts[figure] += 1;
    }
  return counts;
});
