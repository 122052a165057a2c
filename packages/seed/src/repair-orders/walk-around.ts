import type { TenantData } from '@aftersales/data';
import { WalkArounds } from '@aftersales/data/repair-orders';
import { ChecklistTemplates } from '@aftersales/data/setup';
import type { ChecklistAnswer, ChecklistTemplate, WalkAroundInputFields } from '@aftersales/domain';

/** 贵重物品 the demo customers left in their cars, one list per order. */
const VALUABLES: readonly (readonly string[])[] = [['行车记录仪', '太阳镜'], [], ['笔记本电脑（后备箱）']];

/**
 * A walk-around as an advisor fills it in: every item answered by its kind (photo items are answered
 * by photos, which the demo has none of: the seed writes no objects to S3), one scratch noted.
 */
export function demoWalkAround(template: ChecklistTemplate, index: number): WalkAroundInputFields {
  const answers = template.sections.flatMap((s, section) =>
    s.items.flatMap((it, item): ChecklistAnswer[] => {
      const ref = { section, item };
      if (it.kind === 'check') return [{ ...ref, kind: 'check', checked: true }];
      if (it.kind === 'condition')
        return section === 2 && item === 0
          ? [{ ...ref, kind: 'condition', condition: 'attention', note: '右后门轻微划痕' }]
          : [{ ...ref, kind: 'condition', condition: 'ok' }];
      if (it.kind === 'text') return [{ ...ref, kind: 'text', text: '已与客户确认' }];
      return [];
    }),
  );
  return {
    templateId: template.id,
    answers,
    valuables: [...(VALUABLES[index % VALUABLES.length] ?? [])],
    damageNotes: '右后门轻微划痕，已与客户确认',
  };
}

/** The demo order's walk-around on the store's first checklist template (none: nothing written). */
export async function writeDemoWalkAround(
  tenant: TenantData,
  repairOrderId: string,
  index: number,
): Promise<void> {
  const [template] = (await tenant.repo(ChecklistTemplates).list({ limit: 1 })).items;
  if (!template) return;
  await tenant.repo(WalkArounds).record(tenant, repairOrderId, demoWalkAround(template, index), 0);
}
