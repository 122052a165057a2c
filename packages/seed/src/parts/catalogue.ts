import { type PartFields, PartInput, type PartUnit, type Store, toMinor } from '@aftersales/domain';
import { MODELS, type ModelSpec } from '../registry/catalog.ts';

/**
 * A demo store's parts catalogue (配件目录): the parts a 4S store of its brands keeps, with part numbers
 * shaped as each maker writes them (Volkswagen group `8W0698151AA`: a platform, a main and sub group,
 * a variant; Toyota `04465-06090`: a part code and a model code), names of real part kinds in Chinese
 * and English, prices, costs, min/max, a default bin by zone and a few supersessions. Pure and
 * deterministic: the appointments seed takes its bookings' part numbers from here.
 */

/** Warehouse zones (库区) of the four-part location: where a part kind is shelved; G the previous generation's. */
type Zone = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';

/** Which numbers a part kind has: one per model (chassis), per engine, or one for the brand (fluids). */
type Scope = 'model' | 'engine' | 'brand';

interface Kind {
  key: string;
  zh: string;
  en: string;
  unit: PartUnit;
  /** List price in yuan at Audi level; other brands scale it. */
  yuan: number;
  zone: Zone;
  scope: Scope;
  /** Volkswagen group main + sub group (6 digits), or the brand-wide number for a fluid. */
  vag: string;
  /** Toyota part code (5 digits), or the brand-wide number. */
  toyota: string;
  /** Lines a store issues in a month for a model with a full share of the workshop. */
  monthly: number;
  /** Units a line takes (4 spark plugs, 5 litres of oil). */
  per?: number;
  /** A second size for the common models' sport trims (larger brakes on 18-inch wheels). */
  sport?: boolean;
}

// biome-ignore format: one kind per line reads as a table
const KINDS: readonly Kind[] = [
  { key: 'oil-filter', zh: '机油滤清器', en: 'Oil filter', unit: 'piece', yuan: 98, zone: 'A', scope: 'engine', vag: '115562', toyota: '90915', monthly: 40 },
  { key: 'air-filter', zh: '空气滤清器滤芯', en: 'Air filter element', unit: 'piece', yuan: 260, zone: 'A', scope: 'model', vag: '133843', toyota: '17801', monthly: 16 },
  { key: 'cabin-filter', zh: '空调滤清器（活性炭）', en: 'Cabin filter (activated carbon)', unit: 'piece', yuan: 220, zone: 'A', scope: 'model', vag: '819644', toyota: '87139', monthly: 22 },
  { key: 'fuel-filter', zh: '燃油滤清器', en: 'Fuel filter', unit: 'piece', yuan: 380, zone: 'A', scope: 'engine', vag: '201511', toyota: '23300', monthly: 4 },
  { key: 'spark-plug', zh: '火花塞（铱金）', en: 'Spark plug (iridium)', unit: 'piece', yuan: 120, zone: 'A', scope: 'engine', vag: '905601', toyota: '90919', monthly: 6, per: 4 },
  { key: 'ignition-coil', zh: '点火线圈', en: 'Ignition coil', unit: 'piece', yuan: 560, zone: 'E', scope: 'engine', vag: '905110', toyota: '90080', monthly: 2 },
  { key: 'front-pads', zh: '前制动片（套）', en: 'Front brake pads (set)', unit: 'set', yuan: 1100, zone: 'B', scope: 'model', vag: '698151', toyota: '04465', monthly: 8, sport: true },
  { key: 'rear-pads', zh: '后制动片（套）', en: 'Rear brake pads (set)', unit: 'set', yuan: 850, zone: 'B', scope: 'model', vag: '698451', toyota: '04466', monthly: 6, sport: true },
  { key: 'front-disc', zh: '前制动盘', en: 'Front brake disc', unit: 'piece', yuan: 1350, zone: 'B', scope: 'model', vag: '615301', toyota: '43512', monthly: 3, per: 2, sport: true },
  { key: 'rear-disc', zh: '后制动盘', en: 'Rear brake disc', unit: 'piece', yuan: 980, zone: 'B', scope: 'model', vag: '615601', toyota: '42431', monthly: 2, per: 2, sport: true },
  { key: 'pad-sensor', zh: '制动片磨损传感器', en: 'Brake pad wear sensor', unit: 'piece', yuan: 160, zone: 'C', scope: 'model', vag: '615121', toyota: '47770', monthly: 4 },
  { key: 'abs-sensor', zh: '前轮速传感器（ABS）', en: 'Front wheel speed sensor (ABS)', unit: 'piece', yuan: 680, zone: 'C', scope: 'model', vag: '927807', toyota: '89542', monthly: 1 },
  { key: 'o2-sensor', zh: '氧传感器（前）', en: 'Oxygen sensor (upstream)', unit: 'piece', yuan: 1200, zone: 'C', scope: 'engine', vag: '906262', toyota: '89465', monthly: 1 },
  { key: 'wipers', zh: '前雨刮片（对）', en: 'Front wiper blades (pair)', unit: 'set', yuan: 360, zone: 'A', scope: 'model', vag: '955425', toyota: '85222', monthly: 10 },
  { key: 'shock', zh: '前减震器', en: 'Front shock absorber', unit: 'piece', yuan: 1800, zone: 'B', scope: 'model', vag: '413031', toyota: '48510', monthly: 1, per: 2 },
  { key: 'stab-link', zh: '前稳定杆连杆', en: 'Front stabiliser link', unit: 'piece', yuan: 260, zone: 'B', scope: 'model', vag: '411317', toyota: '48820', monthly: 2 },
  { key: 'control-arm', zh: '前下摆臂', en: 'Front lower control arm', unit: 'piece', yuan: 1500, zone: 'B', scope: 'model', vag: '407151', toyota: '48068', monthly: 1 },
  { key: 'wheel-bearing', zh: '前轮毂轴承', en: 'Front wheel bearing', unit: 'piece', yuan: 900, zone: 'B', scope: 'model', vag: '407625', toyota: '90369', monthly: 1 },
  { key: 'rear-shock', zh: '后减震器', en: 'Rear shock absorber', unit: 'piece', yuan: 1300, zone: 'B', scope: 'model', vag: '513035', toyota: '48530', monthly: 1, per: 2 },
  { key: 'tie-rod-end', zh: '转向横拉杆球头', en: 'Tie-rod end', unit: 'piece', yuan: 480, zone: 'B', scope: 'model', vag: '423811', toyota: '45046', monthly: 1 },
  { key: 'cv-boot', zh: '外球笼防尘套', en: 'Outer CV joint boot', unit: 'set', yuan: 380, zone: 'B', scope: 'model', vag: '498203', toyota: '04438', monthly: 1 },
  { key: 'engine-mount', zh: '发动机悬置（机脚胶）', en: 'Engine mount', unit: 'piece', yuan: 1300, zone: 'E', scope: 'model', vag: '199381', toyota: '12361', monthly: 1 },
  { key: 'headlamp', zh: '左前大灯总成（LED）', en: 'Headlamp assembly, left (LED)', unit: 'piece', yuan: 9800, zone: 'F', scope: 'model', vag: '941035', toyota: '81150', monthly: 0.5 },
  { key: 'tail-lamp', zh: '左尾灯总成', en: 'Tail lamp assembly, left', unit: 'piece', yuan: 2600, zone: 'F', scope: 'model', vag: '945091', toyota: '81560', monthly: 0.5 },
  { key: 'bumper-cover', zh: '前保险杠皮（未喷漆）', en: 'Front bumper cover (unpainted)', unit: 'piece', yuan: 3200, zone: 'F', scope: 'model', vag: '807437', toyota: '52119', monthly: 1 },
  { key: 'mirror-glass', zh: '左外后视镜镜片（加热）', en: 'Door mirror glass, left (heated)', unit: 'piece', yuan: 620, zone: 'F', scope: 'model', vag: '857535', toyota: '87931', monthly: 1 },
  { key: 'grille', zh: '进气格栅', en: 'Radiator grille', unit: 'piece', yuan: 2200, zone: 'F', scope: 'model', vag: '853651', toyota: '53111', monthly: 0.5 },
  { key: 'timing-belt', zh: '正时皮带套件', en: 'Timing belt kit', unit: 'set', yuan: 1500, zone: 'E', scope: 'engine', vag: '198119', toyota: '13568', monthly: 1 },
  { key: 'drive-belt', zh: '多楔带（发电机皮带）', en: 'Serpentine (drive) belt', unit: 'piece', yuan: 420, zone: 'E', scope: 'engine', vag: '260849', toyota: '90916', monthly: 2 },
  { key: 'water-pump', zh: '水泵总成', en: 'Water pump assembly', unit: 'piece', yuan: 1400, zone: 'E', scope: 'engine', vag: '121011', toyota: '16100', monthly: 1 },
  { key: 'thermostat', zh: '节温器', en: 'Thermostat', unit: 'piece', yuan: 620, zone: 'E', scope: 'engine', vag: '121113', toyota: '90048', monthly: 1 },
  { key: 'drain-plug', zh: '放油螺栓（带垫圈）', en: 'Oil drain plug with washer', unit: 'piece', yuan: 36, zone: 'A', scope: 'engine', vag: '103801', toyota: '90341', monthly: 30 },
  { key: 'engine-oil', zh: '发动机机油 5W-40（1升）', en: 'Engine oil 5W-40 (1 L)', unit: 'bottle', yuan: 110, zone: 'D', scope: 'brand', vag: 'G052195M2', toyota: '08880-83717', monthly: 30, per: 5 },
  { key: 'engine-oil-lv', zh: '发动机机油 0W-20（1升）', en: 'Engine oil 0W-20 (1 L)', unit: 'bottle', yuan: 125, zone: 'D', scope: 'brand', vag: 'G052577M2', toyota: '08880-13205', monthly: 10, per: 4 },
  { key: 'coolant', zh: '冷却液（1.5升）', en: 'Coolant concentrate (1.5 L)', unit: 'bottle', yuan: 150, zone: 'D', scope: 'brand', vag: 'G013A8JM1', toyota: '08889-80140', monthly: 8, per: 2 },
  { key: 'brake-fluid', zh: '制动液 DOT4（1升）', en: 'Brake fluid DOT 4 (1 L)', unit: 'bottle', yuan: 120, zone: 'D', scope: 'brand', vag: 'B000750M3', toyota: '08823-80004', monthly: 8 },
  { key: 'gear-oil', zh: '双离合变速箱油（1升）', en: 'DSG gearbox oil (1 L)', unit: 'bottle', yuan: 260, zone: 'D', scope: 'brand', vag: 'G052182A2', toyota: '08886-81210', monthly: 3, per: 6 },
  { key: 'washer-fluid', zh: '玻璃清洗液（-30℃）', en: 'Screen wash (−30 °C)', unit: 'bottle', yuan: 45, zone: 'D', scope: 'brand', vag: 'G052164M2', toyota: '08886-01206', monthly: 25 },
  { key: 'refrigerant', zh: '空调制冷剂 R1234yf（千克）', en: 'A/C refrigerant R1234yf (kg)', unit: 'kg', yuan: 680, zone: 'D', scope: 'brand', vag: 'G052142A2', toyota: '08886-10805', monthly: 4 },
  { key: 'bulb-h7', zh: '大灯灯泡 H7', en: 'Headlamp bulb H7', unit: 'piece', yuan: 95, zone: 'C', scope: 'brand', vag: 'N10721002', toyota: '90981-13095', monthly: 6 },
  { key: 'bulb-w5w', zh: '示宽灯泡 W5W', en: 'Side-light bulb W5W', unit: 'piece', yuan: 18, zone: 'C', scope: 'brand', vag: 'N10320101', toyota: '90981-11057', monthly: 8, per: 2 },
  { key: 'battery-70', zh: '蓄电池 12V 70Ah（AGM）', en: 'Battery 12 V 70 Ah (AGM)', unit: 'piece', yuan: 1500, zone: 'C', scope: 'brand', vag: '000915105DE', toyota: '28800-0T050', monthly: 4 },
  { key: 'battery-95', zh: '蓄电池 12V 95Ah（AGM）', en: 'Battery 12 V 95 Ah (AGM)', unit: 'piece', yuan: 1900, zone: 'C', scope: 'brand', vag: '000915105DH', toyota: '28800-0T060', monthly: 2 },
  { key: 'wheel-bolt', zh: '车轮螺栓', en: 'Wheel bolt', unit: 'piece', yuan: 28, zone: 'B', scope: 'brand', vag: 'N90820101', toyota: '90942-01058', monthly: 5, per: 4 },
  { key: 'valve-cleaner', zh: '燃油系统清洗剂', en: 'Fuel system cleaner', unit: 'bottle', yuan: 88, zone: 'D', scope: 'brand', vag: 'G001770A2', toyota: '08813-80002', monthly: 12 },
];

/** Kinds an electric car has no use for. */
const ENGINE_ONLY = new Set([
  'oil-filter',
  'air-filter',
  'fuel-filter',
  'spark-plug',
  'ignition-coil',
  'o2-sensor',
  'timing-belt',
  'drive-belt',
  'water-pump',
  'thermostat',
  'drain-plug',
]);

/** Platform codes (the first three characters of a Volkswagen group number) and Toyota model codes. */
const MODEL_CODES: Readonly<Record<string, string>> = {
  A6L: '4K0',
  A4L: '8W0',
  Q5L: '80A',
  Q3: '83A',
  A3: '8Y0',
  Q2L: '81A',
  'e-tron': '4KE',
  'Q4 e-tron': '89A',
  '速腾 Sagitar': '5H0',
  '迈腾 Magotan': '3G0',
  '宝来 Bora': '5GG',
  '探岳 Tayron': '5NG',
  '高尔夫 Golf': '5G0',
  'ID.4 CROZZ': '11A',
  '帕萨特 Passat': '3GB',
  '朗逸 Lavida': '18G',
  '途观L Tiguan L': '5NA',
  '途昂 Teramont': '3CN',
  'ID.4 X': '11D',
  '凯美瑞 Camry': '06',
  '卡罗拉 Corolla': '12',
  '雷凌 Levin': '02',
  RAV4荣放: '42',
  '汉兰达 Highlander': '48',
  bZ4X: '78',
};

/** Engine families: 2.0T EA888 and 1.4T EA211 for the Volkswagen group, the model's own for Toyota. */
const VAG_ENGINE: Readonly<Record<string, string>> = {
  A6L: '06L',
  A4L: '06L',
  Q5L: '06L',
  Q3: '06L',
  '迈腾 Magotan': '06L',
  '探岳 Tayron': '06L',
  '帕萨特 Passat': '06L',
  '途观L Tiguan L': '06L',
  '途昂 Teramont': '06L',
};
const BRAND_PRICE: Readonly<Record<string, number>> = { Audi: 1, Volkswagen: 0.62, Toyota: 0.58 };

/**
 * How many models of each brand a store stocks for: a two-brand centre keeps its main models only. The
 * small demo dataset (tests, `pnpm dev --small`) keeps a catalogue of a few dozen parts: every
 * integration run seeds it.
 */
export type CatalogueSize = 'full' | 'small';
const MODELS_PER_BRAND: Record<CatalogueSize, { oneBrand: number; twoBrands: number }> = {
  full: { oneBrand: 5, twoBrands: 2 },
  small: { oneBrand: 2, twoBrands: 1 },
};

/** The small catalogue goes with the small demo dataset (fewer than 50 customers a store). */
export function catalogueSizeFor(customersPerStore: number): CatalogueSize {
  return customersPerStore < 50 ? 'small' : 'full';
}

export interface DemoPart {
  fields: PartFields;
  /** 呆滞: received over a year ago and not moved since (a previous generation's last units). */
  dormant?: boolean;
  /** Lines issued a month (the demo history's rate). */
  monthly: number;
  /** Units a line takes. */
  per: number;
  /** The part kind (`front-pads`): what a booking's labour operation needs. */
  kind: string;
  zone: Zone;
}

/** The larger size of a brake part: its own numbers, a third of the lines. */
function sportOf(k: Kind): Kind {
  return {
    ...k,
    key: `${k.key}-sport`,
    zh: `${k.zh}（18英寸运动型）`,
    en: `${k.en} (18-inch sport)`,
    yuan: k.yuan * 1.3,
    monthly: k.monthly / 3,
  };
}

const isVag = (brand: string) => brand !== 'Toyota';
const electric = (m: ModelSpec) => m.powertrains.every(([p]) => p === 'bev');

/** A variant letter from the model and the kind, so numbers look varied but stay the same on every run. */
function variant(seed: string, letters: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  const alphabet = 'ABCDEFGHJKLMNPQRST';
  let out = '';
  for (let i = 0; i < letters; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length);
  }
  return out;
}

function digitsOf(seed: string, n: number): string {
  return String(Number.parseInt(variant(seed, 4).replace(/[^A-Z]/g, ''), 36) % 10 ** n).padStart(n, '0');
}

/** The part number of `kind` for `model` of `brand`, in the maker's shape (`code`: another generation's). */
export function partNumberOf(
  kind: Kind,
  brand: string,
  model: ModelSpec,
  code = MODEL_CODES[model.model] ?? '000',
): string {
  if (kind.scope === 'brand') return isVag(brand) ? kind.vag : kind.toyota;
  if (isVag(brand)) {
    const platform = kind.scope === 'engine' ? (VAG_ENGINE[model.model] ?? '04E') : code;
    return `${platform}${kind.vag}${variant(`${platform}${kind.key}`, kind.scope === 'engine' ? 1 : 2)}`;
  }
  return `${kind.toyota}-${code}${digitsOf(`${model.model}${kind.key}`, 3)}`;
}

/** The store's models to stock for, most common first. */
function modelsFor(store: Store, size: CatalogueSize): ModelSpec[] {
  const limits = MODELS_PER_BRAND[size];
  const limit = store.brands.length > 1 ? limits.twoBrands : limits.oneBrand;
  return store.brands.flatMap((brand) =>
    MODELS.filter((m) => m.brand === brand && MODEL_CODES[m.model])
      .sort((a, b) => b.weight - a.weight)
      .slice(0, limit),
  );
}

const round = (yuan: number) => (yuan >= 100 ? Math.round(yuan / 5) * 5 : Math.round(yuan));
const yuanOf = (amount: number) => ({ amountMinor: toMinor(amount), currency: 'CNY' as const });

/** The zone's racks: 4 shelves of 10 bins each, in catalogue order. */
function binOf(zone: Zone, index: number): string {
  const rack = Math.floor(index / 40) + 1;
  const shelf = Math.floor((index % 40) / 10) + 1;
  const bin = (index % 10) + 1;
  return `${zone}-${String(rack).padStart(2, '0')}-${shelf}-${String(bin).padStart(2, '0')}`;
}

/**
 * The store's catalogue: each kind for each stocked model (a number several models share is one part
 * fitting them all), the brand's fluids and consumables, and a few superseded numbers still selling down.
 */
export function demoCatalogue(store: Store, size: CatalogueSize = 'full'): DemoPart[] {
  const models = modelsFor(store, size);
  const byNumber = new Map<string, DemoPart>();
  const brandWeight = new Map<string, number>();
  for (const m of models) brandWeight.set(m.brand, (brandWeight.get(m.brand) ?? 0) + m.weight);
  for (const m of models) {
    const share = m.weight / (brandWeight.get(m.brand) ?? 1);
    const kinds = KINDS.flatMap((k) => (k.sport && m.weight >= 10 ? [k, sportOf(k)] : [k]));
    for (const kind of kinds) {
      if (electric(m) && ENGINE_ONLY.has(kind.key)) continue;
      const partNumber = partNumberOf(kind, m.brand, m);
      const existing = byNumber.get(partNumber);
      const modelName = kind.scope === 'brand' ? undefined : m.model;
      if (existing) {
        if (modelName && !existing.fields.models.includes(modelName)) existing.fields.models.push(modelName);
        if (kind.scope !== 'brand') existing.monthly += kind.monthly * share;
        continue;
      }
      const price = round(kind.yuan * (BRAND_PRICE[m.brand] ?? 0.6));
      byNumber.set(partNumber, {
        kind: kind.key,
        zone: kind.zone,
        per: kind.per ?? 1,
        monthly: kind.scope === 'brand' ? kind.monthly : kind.monthly * share,
        fields: PartInput.parse({
          partNumber,
          name: { zh: kind.zh, en: kind.en },
          brand: m.brand,
          models: modelName ? [modelName] : [],
          unit: kind.unit,
          listPrice: yuanOf(price),
          // 进价: a 4S store buys at 65–75 % of list.
          cost: yuanOf(
            Math.round(price * (0.65 + (Number.parseInt(digitsOf(partNumber, 2), 10) % 10) / 100)),
          ),
          minStock: 0,
          maxStock: 0,
        }),
      });
    }
  }
  const parts = [...byNumber.values()];
  // 最低/最高库存 from the month's use: a week's cover at least, a month's at most.
  for (const p of parts) {
    const units = p.monthly * p.per;
    p.fields.minStock = Math.max(1, Math.round(units / 4));
    p.fields.maxStock = Math.max(p.fields.minStock + 1, Math.round(units * 1.2));
  }
  const perZone = new Map<Zone, number>();
  for (const p of parts) {
    const n = perZone.get(p.zone) ?? 0;
    perZone.set(p.zone, n + 1);
    p.fields.defaultBin = binOf(p.zone, n);
  }
  const current = [...parts, ...supersessions(parts)];
  return size === 'full' ? [...current, ...previousGeneration(models, current)] : current;
}

/**
 * Platform and model codes of the models' previous generation (上一代车型: A6L C7 `4G0`, 迈腾 B7 `3C0`),
 * whose cars still come in for service.
 */
const PREVIOUS_CODES: Readonly<Record<string, string>> = {
  A6L: '4G0',
  A4L: '8K0',
  Q5L: '8R0',
  Q3: '8U0',
  A3: '8V0',
  '速腾 Sagitar': '1K0',
  '迈腾 Magotan': '3C0',
  '宝来 Bora': '1KD',
  '高尔夫 Golf': '5K0',
  '帕萨特 Passat': '561',
  '朗逸 Lavida': '18D',
  '途观L Tiguan L': '5N0',
  '凯美瑞 Camry': '33',
  '卡罗拉 Corolla': '20',
  RAV4荣放: '45',
  '汉兰达 Highlander': '49',
};

/** A 4S store's catalogue holds a few hundred numbers: the current models' and the previous generation's. */
const FULL_CATALOGUE = 300;

/**
 * The previous generation's chassis and service parts, up to `FULL_CATALOGUE` numbers in all, on their
 * own racks (zone G). Ordered per job (不备库), except one in five: its last units, received over a
 * year ago and not moved since, are the store's obsolete stock (呆滞).
 */
function previousGeneration(models: readonly ModelSpec[], current: readonly DemoPart[]): DemoPart[] {
  const taken = new Set(current.map((p) => p.fields.partNumber));
  const out: DemoPart[] = [];
  const kinds = KINDS.flatMap((k) => (k.sport ? [k, sportOf(k)] : [k])).filter((k) => k.scope === 'model');
  for (const kind of kinds)
    for (const m of models) {
      const code = PREVIOUS_CODES[m.model];
      if (!code || current.length + out.length >= FULL_CATALOGUE) continue;
      const partNumber = partNumberOf(kind, m.brand, m, code);
      if (taken.has(partNumber)) continue;
      taken.add(partNumber);
      const price = round(kind.yuan * (BRAND_PRICE[m.brand] ?? 0.6));
      const n = out.length;
      out.push({
        kind: kind.key,
        zone: 'G',
        per: kind.per ?? 1,
        // Below the stocked rate: none on the shelf but the dormant ones' (see `history.ts`).
        monthly: 0.05,
        ...(n % 5 === 0 ? { dormant: true } : {}),
        fields: PartInput.parse({
          partNumber,
          name: { zh: `${kind.zh}（上一代车型）`, en: `${kind.en} (previous generation)` },
          brand: m.brand,
          // Not the current model's name: a booking's parts never come from here.
          models: [`${m.model}（上一代）`],
          unit: kind.unit,
          listPrice: yuanOf(price),
          cost: yuanOf(Math.round(price * 0.7)),
          minStock: 0,
          maxStock: 0,
          defaultBin: binOf('G', n),
        }),
      });
    }
  return out;
}

/**
 * 替代: a brake pad set and a filter of each brand that replaced an earlier number. The old number stays
 * in the catalogue (its last units sell down) pointing to the new one.
 */
function supersessions(parts: DemoPart[]): DemoPart[] {
  const out: DemoPart[] = [];
  for (const kind of ['front-pads', 'oil-filter', 'cabin-filter', 'wipers']) {
    for (const brand of new Set(parts.map((p) => p.fields.brand))) {
      const current = parts.find((p) => p.kind === kind && p.fields.brand === brand);
      if (!current) continue;
      const n = current.fields.partNumber;
      const old = isVag(brand) ? `${n.slice(0, -1)}${n.endsWith('A') ? 'B' : 'A'}` : `${n.slice(0, -1)}9`;
      if (old === n || parts.some((p) => p.fields.partNumber === old)) continue;
      current.fields.supersedes = old;
      out.push({
        ...current,
        monthly: 0,
        fields: {
          ...current.fields,
          partNumber: old,
          supersedes: undefined,
          supersededBy: n,
          minStock: 0,
          maxStock: 0,
          defaultBin: current.fields.defaultBin,
        },
      });
    }
  }
  return out;
}

/** What a booked labour operation takes from the shelf (备件), by part kind and units. */
const OP_PARTS: Readonly<Record<string, readonly (readonly [kind: string, units: number])[]>> = {
  'MNT-01': [
    ['oil-filter', 1],
    ['drain-plug', 1],
    ['engine-oil', 5],
  ],
  'MNT-02': [['air-filter', 1]],
  'MNT-03': [['cabin-filter', 1]],
  'MNT-04': [['fuel-filter', 1]],
  'MNT-05': [['spark-plug', 4]],
  'MNT-06': [['brake-fluid', 1]],
  'MNT-07': [['coolant', 2]],
  'MNT-08': [['gear-oil', 6]],
  'BRK-01': [
    ['front-pads', 1],
    ['pad-sensor', 1],
  ],
  'BRK-02': [['rear-pads', 1]],
  'BRK-03': [['front-disc', 2]],
  'CHS-05': [['shock', 1]],
  'ELE-01': [['battery-70', 1]],
  'ELE-03': [['wipers', 1]],
  'ELE-04': [['bulb-h7', 1]],
  'ELE-05': [['refrigerant', 1]],
  'ENG-01': [
    ['timing-belt', 1],
    ['water-pump', 1],
  ],
};

const catalogues = new Map<string, DemoPart[]>();
function cachedCatalogue(store: Store, size: CatalogueSize): DemoPart[] {
  const cached = catalogues.get(`${store.id}:${size}`);
  if (cached) return cached;
  const catalogue = demoCatalogue(store, size);
  catalogues.set(`${store.id}:${size}`, catalogue);
  return catalogue;
}

/**
 * The parts a booking of `opCodes` on a `model` needs, numbered as the store's catalogue numbers them
 * (the same function builds both, so every booked number is in the catalogue).
 */
export function bookingParts(
  store: Store,
  model: string,
  opCodes: readonly string[],
  size: CatalogueSize,
): { partNumber: string; name: string; quantity: number }[] {
  const catalogue = cachedCatalogue(store, size);
  const brand = MODELS.find((m) => m.model === model)?.brand;
  const out = new Map<string, { partNumber: string; name: string; quantity: number }>();
  for (const code of opCodes)
    for (const [kind, units] of OP_PARTS[code] ?? []) {
      const part =
        catalogue.find((p) => p.kind === kind && !p.fields.supersededBy && p.fields.models.includes(model)) ??
        catalogue.find(
          (p) =>
            p.kind === kind &&
            !p.fields.supersededBy &&
            p.fields.models.length === 0 &&
            p.fields.brand === brand,
        );
      if (!part) continue;
      const line = out.get(part.fields.partNumber);
      if (line) line.quantity += units;
      else
        out.set(part.fields.partNumber, {
          partNumber: part.fields.partNumber,
          name: part.fields.name.zh,
          quantity: units,
        });
    }
  return [...out.values()];
}
