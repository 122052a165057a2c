import type { VehicleFields } from '@aftersales/domain';

/** Reference lists the generator draws from. Weights are rough market shares, not data. */

type PowertrainValue = NonNullable<VehicleFields['powertrain']>;

export interface ModelSpec {
  brand: string;
  /** As the front desk writes it: Chinese name first where the car has one. */
  model: string;
  /** World manufacturer identifier (VIN 1–3) of the plant that builds it for China. */
  wmi: string;
  /** First three VDS characters (VIN 4–6), fixed per model so that one model's VINs look alike. */
  vds: string;
  /** VIN 11: assembly plant. */
  plants: string;
  years: readonly [from: number, to: number];
  /** Share of this model's cars in the store's workshop. */
  weight: number;
  powertrains: readonly (readonly [PowertrainValue, number])[];
}

const PETROL = [['petrol', 1]] as const;

/** A list written as space-separated words. */
const words = (text: string): readonly string[] => text.split(/\s+/).filter(Boolean);

// biome-ignore format: one model per line reads as a table
export const MODELS: readonly ModelSpec[] = [
  // 一汽奥迪 (FAW-Volkswagen, Audi brand)
  { brand: 'Audi', model: 'A6L', wmi: 'LFV', vds: '3A2', plants: 'CT', years: [2016, 2026], weight: 24, powertrains: [['petrol', 9], ['phev', 1]] },
  { brand: 'Audi', model: 'A4L', wmi: 'LFV', vds: '3A4', plants: 'C', years: [2016, 2026], weight: 24, powertrains: PETROL },
  { brand: 'Audi', model: 'Q5L', wmi: 'LFV', vds: '3B5', plants: 'C', years: [2018, 2026], weight: 22, powertrains: PETROL },
  { brand: 'Audi', model: 'Q3', wmi: 'LFV', vds: '2B3', plants: 'F', years: [2016, 2026], weight: 10, powertrains: PETROL },
  { brand: 'Audi', model: 'A3', wmi: 'LFV', vds: '2A3', plants: 'F', years: [2016, 2026], weight: 9, powertrains: PETROL },
  { brand: 'Audi', model: 'Q2L', wmi: 'LFV', vds: '2B2', plants: 'F', years: [2018, 2024], weight: 4, powertrains: PETROL },
  { brand: 'Audi', model: 'e-tron', wmi: 'LFV', vds: '3E5', plants: 'C', years: [2020, 2023], weight: 3, powertrains: [['bev', 1]] },
  { brand: 'Audi', model: 'Q4 e-tron', wmi: 'LFV', vds: '3E4', plants: 'F', years: [2022, 2026], weight: 4, powertrains: [['bev', 1]] },
  // 一汽-大众
  { brand: 'Volkswagen', model: '速腾 Sagitar', wmi: 'LFV', vds: '2A1', plants: 'CF', years: [2016, 2026], weight: 20, powertrains: PETROL },
  { brand: 'Volkswagen', model: '迈腾 Magotan', wmi: 'LFV', vds: '3A3', plants: 'C', years: [2016, 2026], weight: 18, powertrains: [['petrol', 12], ['phev', 1]] },
  { brand: 'Volkswagen', model: '宝来 Bora', wmi: 'LFV', vds: '2A5', plants: 'CF', years: [2016, 2026], weight: 12, powertrains: PETROL },
  { brand: 'Volkswagen', model: '探岳 Tayron', wmi: 'LFV', vds: '3B2', plants: 'T', years: [2018, 2026], weight: 10, powertrains: PETROL },
  { brand: 'Volkswagen', model: '高尔夫 Golf', wmi: 'LFV', vds: '2A7', plants: 'F', years: [2016, 2026], weight: 6, powertrains: PETROL },
  { brand: 'Volkswagen', model: 'ID.4 CROZZ', wmi: 'LFV', vds: '3E1', plants: 'F', years: [2021, 2026], weight: 5, powertrains: [['bev', 1]] },
  // 上汽大众
  { brand: 'Volkswagen', model: '帕萨特 Passat', wmi: 'LSV', vds: 'AA2', plants: 'SN', years: [2016, 2026], weight: 14, powertrains: [['petrol', 10], ['phev', 1]] },
  { brand: 'Volkswagen', model: '朗逸 Lavida', wmi: 'LSV', vds: 'NA1', plants: 'SY', years: [2016, 2026], weight: 16, powertrains: PETROL },
  { brand: 'Volkswagen', model: '途观L Tiguan L', wmi: 'LSV', vds: 'UB2', plants: 'SN', years: [2017, 2026], weight: 14, powertrains: [['petrol', 10], ['phev', 1]] },
  { brand: 'Volkswagen', model: '途昂 Teramont', wmi: 'LSV', vds: 'XB4', plants: 'N', years: [2017, 2026], weight: 5, powertrains: PETROL },
  { brand: 'Volkswagen', model: 'ID.4 X', wmi: 'LSV', vds: 'KE1', plants: 'A', years: [2021, 2026], weight: 4, powertrains: [['bev', 1]] },
  // 广汽丰田 / 一汽丰田
  { brand: 'Toyota', model: '凯美瑞 Camry', wmi: 'LVG', vds: 'B4F', plants: 'G', years: [2016, 2026], weight: 20, powertrains: [['petrol', 6], ['hybrid', 4]] },
  { brand: 'Toyota', model: '卡罗拉 Corolla', wmi: 'LFM', vds: 'A3E', plants: 'T', years: [2016, 2026], weight: 20, powertrains: [['petrol', 6], ['hybrid', 4]] },
  { brand: 'Toyota', model: '雷凌 Levin', wmi: 'LVG', vds: 'A3E', plants: 'G', years: [2016, 2026], weight: 12, powertrains: [['petrol', 6], ['hybrid', 4]] },
  { brand: 'Toyota', model: 'RAV4荣放', wmi: 'LFM', vds: 'J3B', plants: 'T', years: [2016, 2026], weight: 16, powertrains: [['petrol', 6], ['hybrid', 4]] },
  { brand: 'Toyota', model: '汉兰达 Highlander', wmi: 'LVG', vds: 'D7H', plants: 'G', years: [2016, 2026], weight: 8, powertrains: [['petrol', 5], ['hybrid', 5]] },
  { brand: 'Toyota', model: 'bZ4X', wmi: 'LFM', vds: 'E4Z', plants: 'C', years: [2022, 2026], weight: 2, powertrains: [['bev', 1]] },
];

/** Companies' cars lean to these (公务车, 出租/网约车, 物流用车). */
export const FLEET_MODELS = new Set([
  'A6L',
  '帕萨特 Passat',
  '迈腾 Magotan',
  '朗逸 Lavida',
  '速腾 Sagitar',
  '凯美瑞 Camry',
  '卡罗拉 Corolla',
]);

/** VIN 10 (model year), ISO 3779: letters skip I, O, Q, U, Z and 0. */
// biome-ignore format: compact table
export const MODEL_YEAR_CODE: Readonly<Record<number, string>> = {
  2016: 'G', 2017: 'H', 2018: 'J', 2019: 'K', 2020: 'L', 2021: 'M', 2022: 'N', 2023: 'P', 2024: 'R', 2025: 'S', 2026: 'T',
};

/** Model years the demo fleet spans. */
export const MODEL_YEARS: readonly [number, number] = [2016, 2026];

export const COLOURS: readonly (readonly [string, number])[] = [
  ['白色', 30],
  ['黑色', 26],
  ['灰色', 12],
  ['银色', 10],
  ['蓝色', 8],
  ['红色', 5],
  ['棕色', 3],
  ['香槟金', 3],
  ['绿色', 2],
  ['橙色', 1],
];

/** The hundred-surnames head: these few cover most of China. */
// biome-ignore format: compact table
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72], ['李', 71], ['张', 67], ['刘', 54], ['陈', 45], ['杨', 32], ['赵', 21], ['黄', 21], ['周', 19], ['吴', 19],
  ['徐', 15], ['孙', 15], ['胡', 13], ['朱', 12], ['高', 12], ['林', 11], ['何', 11], ['郭', 11], ['马', 11], ['罗', 9],
  ['梁', 9], ['宋', 8], ['郑', 8], ['谢', 7], ['韩', 7], ['唐', 7], ['冯', 6], ['于', 6], ['董', 6], ['萧', 2],
  ['欧阳', 1],
];

/** Common given names (名): two characters for most people, one for some. */
export const GIVEN_NAMES_2: readonly string[] = words(`
  志强 建华 秀英 桂英 丽娟 海燕 晓明 俊杰 子涵 欣怡 雨轩 浩然 思远 佳琪 文博 嘉怡 宇航 梓轩 一鸣 晓燕 建国 立新 海涛 红梅 玉兰 春燕 丽华 明辉 伟东 振华
  永刚 国强 淑珍 凤英 晨曦 雅琴 静怡 鹏飞 天宇 若曦 子豪 宏伟 亚楠 婷婷 欣然 诗涵 博文 泽宇 家豪 梦瑶 晓东 春雷 学军 卫国 秀兰 桂兰 丽萍 建军 海波 文静
`);
export const GIVEN_NAMES_1: readonly string[] = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉鹏华飞鑫波斌宇浩凯婷雪琳晨欣博',
];

export const ENGLISH_FIRST: readonly string[] = words(`
  James Michael David Daniel Thomas Mark Paul Andrew Peter Oliver Sarah Emily Laura Anna
  Sophie Julia Rachel Claire Hannah Kate
`);
export const ENGLISH_LAST: readonly string[] = words(`
  Smith Johnson Brown Miller Wilson Taylor Anderson Thompson Walker Wright Schmidt Fischer
  Weber Martin Dubois Rossi Jensen Novak Kim Tanaka
`);

/** Invented company names: 字号 + 行业. */
export const COMPANY_TRADE_NAMES: readonly string[] = words(
  '恒通 鼎盛 瑞丰 金桥 远航 华瑞 宏达 嘉禾 德润 安和 博远 新澄',
);
export const COMPANY_INDUSTRIES: readonly string[] = words(
  '物流有限公司 汽车租赁有限公司 商贸有限公司 建设工程有限公司 科技有限公司 出租汽车有限公司 医药有限公司',
);

/** Mobile number blocks (号段) of the three carriers (移动 联通 电信). */
export const MOBILE_PREFIXES: readonly string[] = words(`
  130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 180 181 182
  183 185 186 187 188 189 191 193 195 198 199
`);

export interface CityInfo {
  /** Province abbreviation on the plate (京 津 沪). */
  province: string;
  /** Issuing-office letters in use (车牌发牌机关代号). */
  letters: string;
  /** Landline area code (区号); local numbers have 8 digits in all three cities. */
  areaCode: string;
  /** Plates from the neighbouring provinces that commute in (e.g. 冀 in Beijing). */
  visitors: readonly (readonly [province: string, letters: string])[];
}

export const CITIES: Readonly<Record<string, CityInfo>> = {
  北京: {
    province: '京',
    letters: 'ABCEFGHJKLMNPQ',
    areaCode: '010',
    visitors: [
      ['冀', 'AFR'],
      ['晋', 'A'],
    ],
  },
  天津: { province: '津', letters: 'ABCDEFGHJKLMN', areaCode: '022', visitors: [['冀', 'BJR']] },
  上海: {
    province: '沪',
    letters: 'ABCDEFGHJKLMN',
    areaCode: '021',
    visitors: [
      ['苏', 'EB'],
      ['浙', 'AF'],
    ],
  },
};

/** Letters allowed on plates and in VINs: no I or O (plates), and no Q either (VINs). */
export const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
export const VIN_CHARS = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

export const CUSTOMER_NOTES: readonly string[] = [
  '开车时勿打电话，请发短信约时间。',
  '车辆常由家人送修。',
  '周末不方便接电话。',
  '偏好原厂机油，保养前请先报价。',
  '老客户，曾参加车主俱乐部活动。',
  '对上次洗车质量有意见，回访时注意。',
  '需要开具增值税专用发票。',
];
