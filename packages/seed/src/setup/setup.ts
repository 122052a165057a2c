import type { DataAccess } from '@aftersales/data';
import { ChecklistTemplates, LabourOps, StoreSetups } from '@aftersales/data/setup';
import {
  AppError,
  type BayType,
  type ChecklistTemplateInput,
  ChecklistTemplateInput as ChecklistTemplateSchema,
  type LabourOpInput,
  LabourOpInput as LabourOpSchema,
  type Skill,
  type SkillLevel,
  type Store,
  StoreSetupInput,
  toMinor,
} from '@aftersales/domain';

/**
 * Each demo store's set-up (门店设置), labour-operation catalogue (工时目录) and walk-around checklist
 * (预检表): what a Beijing or Tianjin 4S store of the brand would really keep, so the set-up screens and,
 * later, bookings and quotes have something true to work with.
 */

const yuan = (amount: number) => ({ amountMinor: toMinor(amount), currency: 'CNY' as const });
const day = (open: string, close: string) => ({ open, close });

export function demoStoreSetup(store: Store): StoreSetupInput {
  const weekday = day('08:30', '18:00');
  return {
    timeZone: store.timeZone,
    openingHours: {
      mon: weekday,
      tue: weekday,
      wed: weekday,
      thu: weekday,
      fri: weekday,
      sat: day('09:00', '17:00'),
      sun: day('09:00', '16:00'),
    },
    holidays: [
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-06', name: '春节' },
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-10-01', name: '国庆节' },
    ],
    bays: [
      ...['01', '02', '03', '04', '05', '06'].map((n) => ({
        id: `M${n}`,
        name: `机修${Number(n)}号工位`,
        type: 'general' as const,
      })),
      { id: 'A01', name: '四轮定位工位', type: 'alignment' },
      { id: 'K01', name: '钣金1号工位', type: 'body' },
      { id: 'K02', name: '钣金2号工位', type: 'body' },
      { id: 'P01', name: '烤漆房', type: 'paint' },
      { id: 'W01', name: '洗车工位', type: 'wash' },
      { id: 'E01', name: '新能源工位', type: 'ev' },
    ],
    labourRates: {
      customer: yuan(store.brands.includes('Audi') ? 220 : 160),
      warranty: yuan(store.brands.includes('Audi') ? 180 : 130),
      goodwill: yuan(store.brands.includes('Audi') ? 180 : 130),
      insurance: yuan(store.brands.includes('Audi') ? 240 : 180),
      internal: yuan(100),
    },
    taxRateBp: 1300,
    serviceIntervals: store.brands.flatMap((brand) => [
      { brand, km: 10_000, months: 12 },
      ...(brand === 'Audi'
        ? [{ brand, model: 'Q4 e-tron', km: 30_000, months: 24 }]
        : [{ brand, model: 'ID.4 CROZZ', km: 30_000, months: 24 }]),
    ]),
    papers: [
      { code: 'LICENSE', name: { zh: '行驶证', en: 'Vehicle licence' } },
      { code: 'MAINT-BOOK', name: { zh: '保养手册', en: 'Maintenance booklet' } },
      { code: 'WARRANTY', name: { zh: '三包凭证', en: 'Warranty (三包) certificate' } },
      { code: 'ID-CARD', name: { zh: '车主身份证', en: 'Owner’s ID card' } },
      { code: 'INSURANCE', name: { zh: '保险单（事故车）', en: 'Insurance policy (accident repairs)' } },
    ],
  };
}

type Op = [
  code: string,
  zh: string,
  en: string,
  hours: number,
  skill: Skill,
  level: SkillLevel,
  bay: BayType,
];

/** The common operations of a service department, with flat-rate hours as brand guides give them. */
const OPS: readonly Op[] = [
  ['MNT-01', '机油及机油滤清器更换', 'Engine oil and filter change', 0.5, 'engine', 'junior', 'general'],
  ['MNT-02', '空气滤清器更换', 'Air filter replacement', 0.3, 'engine', 'junior', 'general'],
  ['MNT-03', '空调滤清器更换', 'Cabin filter replacement', 0.3, 'general', 'junior', 'general'],
  ['MNT-04', '燃油滤清器更换', 'Fuel filter replacement', 0.8, 'engine', 'mid', 'general'],
  ['MNT-05', '火花塞更换（四缸）', 'Spark plugs (4-cylinder)', 1.0, 'engine', 'mid', 'general'],
  ['MNT-06', '制动液更换', 'Brake fluid change', 0.8, 'chassis', 'mid', 'general'],
  ['MNT-07', '冷却液更换', 'Coolant change', 1.0, 'engine', 'mid', 'general'],
  ['MNT-08', '变速箱油更换', 'Gearbox oil change', 1.2, 'chassis', 'mid', 'general'],
  ['MNT-09', '定期保养检查', 'Scheduled service inspection', 1.0, 'general', 'junior', 'general'],
  ['BRK-01', '前刹车片更换', 'Front brake pads replacement', 1.0, 'chassis', 'junior', 'general'],
  ['BRK-02', '后刹车片更换', 'Rear brake pads replacement', 1.0, 'chassis', 'junior', 'general'],
  ['BRK-03', '前刹车盘更换', 'Front brake discs replacement', 1.5, 'chassis', 'mid', 'general'],
  ['CHS-01', '四轮定位', 'Four-wheel alignment', 1.0, 'chassis', 'mid', 'alignment'],
  ['CHS-02', '轮胎动平衡（四轮）', 'Wheel balancing (four wheels)', 0.6, 'chassis', 'junior', 'alignment'],
  ['CHS-03', '轮胎换位', 'Tyre rotation', 0.4, 'chassis', 'junior', 'general'],
  ['CHS-04', '轮胎更换（单条）', 'Tyre replacement (one)', 0.3, 'chassis', 'junior', 'general'],
  ['CHS-05', '前减震器更换（单侧）', 'Front shock absorber (one side)', 1.8, 'chassis', 'mid', 'general'],
  ['ELE-01', '蓄电池更换', 'Battery replacement', 0.4, 'electrical', 'junior', 'general'],
  ['ELE-02', '故障诊断（电脑检测）', 'Diagnostic scan', 0.5, 'electrical', 'mid', 'general'],
  ['ELE-03', '雨刮片更换', 'Wiper blades replacement', 0.2, 'general', 'junior', 'general'],
  ['ELE-04', '大灯灯泡更换', 'Headlamp bulb replacement', 0.4, 'electrical', 'junior', 'general'],
  ['ELE-05', '空调系统检测及加注冷媒', 'A/C check and recharge', 1.0, 'electrical', 'mid', 'general'],
  ['ENG-01', '正时皮带更换', 'Timing belt replacement', 3.5, 'engine', 'senior', 'general'],
  ['ENG-02', '节气门清洗', 'Throttle body cleaning', 0.8, 'engine', 'mid', 'general'],
  ['ENG-03', '发动机舱清洗', 'Engine bay cleaning', 0.5, 'general', 'junior', 'wash'],
  ['BDY-01', '前保险杠拆装', 'Front bumper remove and refit', 1.5, 'body', 'mid', 'body'],
  ['BDY-02', '车门钣金修复（单门）', 'Door panel repair (one door)', 3.0, 'body', 'senior', 'body'],
  ['PNT-01', '单面喷漆（门）', 'Paint one panel (door)', 4.0, 'paint', 'senior', 'paint'],
  ['PNT-02', '前保险杠喷漆', 'Paint front bumper', 3.5, 'paint', 'senior', 'paint'],
  ['WSH-01', '精洗及内饰清洁', 'Full wash and interior clean', 1.0, 'general', 'junior', 'wash'],
  ['EV-01', '高压电池系统检测', 'High-voltage battery check', 1.5, 'ev', 'senior', 'ev'],
];

/** Where a bigger car takes longer: per-model hours for the store's own brand. */
const MODEL_HOURS: Record<string, Record<string, number>> = {
  'CHS-05': { Audi: 2.2, Volkswagen: 1.6 },
  'ENG-01': { Audi: 4.2, Volkswagen: 3.2 },
};
const BIG_MODEL: Record<string, string> = { Audi: 'Q7', Volkswagen: 'Touareg' };

export function demoLabourOps(store: Store): LabourOpInput[] {
  const brand = store.brands[0] ?? 'Audi';
  return OPS.map(([code, zh, en, hours, skill, level, bayType]) => {
    const override = MODEL_HOURS[code]?.[brand];
    return {
      code,
      name: { zh, en },
      hours,
      modelHours: override ? [{ model: BIG_MODEL[brand] ?? 'Q7', hours: override }] : [],
      skill,
      level,
      bayType,
    };
  });
}

const item = (zh: string, en: string, kind: 'check' | 'condition' | 'text' | 'photo') => ({
  label: { zh, en },
  kind,
});

/** 环车检查 as DOMAIN.md walks it: plate and VIN, engine bay, body clockwise from the driver's door, spare, fuel, odometer, interior, valuables. */
export const DEMO_CHECKLIST: ChecklistTemplateInput = {
  name: { zh: '标准环车检查表', en: 'Standard walk-around inspection' },
  sections: [
    {
      title: { zh: '车辆信息', en: 'Vehicle' },
      items: [
        item('车牌与车架号核对', 'Plate and VIN match', 'check'),
        item('里程表读数', 'Odometer reading', 'text'),
        item('燃油量', 'Fuel level', 'text'),
      ],
    },
    {
      title: { zh: '发动机舱', en: 'Engine bay' },
      items: [
        item('机油液位', 'Oil level', 'condition'),
        item('冷却液液位', 'Coolant level', 'condition'),
        item('制动液液位', 'Brake fluid level', 'condition'),
      ],
    },
    {
      title: { zh: '外观（自驾驶员车门顺时针）', en: 'Body (clockwise from the driver’s door)' },
      items: [
        item('漆面划痕、凹陷', 'Scratches and dents', 'condition'),
        item('外观照片', 'Body photos', 'photo'),
        item('轮胎及备胎', 'Tyres and spare', 'condition'),
      ],
    },
    {
      title: { zh: '内饰与电器', en: 'Interior and electrics' },
      items: [
        item('仪表故障灯', 'Warning lights', 'condition'),
        item('灯光、雨刮、喇叭', 'Lights, wipers, horn', 'check'),
        item('车内贵重物品（已提醒客户）', 'Valuables left in the car (customer told)', 'check'),
        item('客户描述', 'Customer’s description', 'text'),
      ],
    },
  ],
};

/** Writes a store's set-up, catalogue and checklist; a re-run after an interrupted seed changes nothing. */
export async function writeDemoSetup(
  data: DataAccess,
  store: Store,
  actor: Parameters<DataAccess['forTenant']>[0]['actor'],
): Promise<void> {
  const tenant = data.forTenant({ tenantId: store.id, actor });
  const setups = tenant.repo(StoreSetups);
  if ((await setups.current()).version === 0)
    await setups.replace(StoreSetupInput.parse(demoStoreSetup(store)), 0);
  const ops = tenant.repo(LabourOps);
  for (const op of demoLabourOps(store)) {
    try {
      await ops.create(LabourOpSchema.parse(op));
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'LABOUR_OP_CODE_EXISTS')) throw e;
    }
  }
  const templates = tenant.repo(ChecklistTemplates);
  if ((await templates.list({ limit: 1 })).items.length === 0)
    await templates.create(ChecklistTemplateSchema.parse(DEMO_CHECKLIST));
}
