import {
  type DealerGroup,
  type Oem,
  OemClaimRules,
  type OemClaimRulesInput,
  type Organisation,
  type Store,
} from '@aftersales/domain';

const FAW_VW = 'oem_FAWVOLKSWAGEN';
const SAIC_VW = 'oem_SAICVOLKSWAGEN';

/**
 * The demo tenants. Ids are fixed and readable so that docs, tests and bookmarks can name them.
 * All stores work under the China ruleset (CN: 三包, strict VIN check digit).
 */
export const DEMO_GROUP: DealerGroup = {
  id: 'grp_HUACHEN',
  kind: 'group',
  name: '华辰汽车集团 Huachen Auto Group',
  jurisdiction: 'CN',
};

const groupStore = (s: Omit<Store, 'kind' | 'groupId' | 'jurisdiction' | 'timeZone'>): Store => ({
  kind: 'store',
  groupId: DEMO_GROUP.id,
  jurisdiction: 'CN',
  timeZone: 'Asia/Shanghai',
  ...s,
});

/** The group's stores; the first one is the "main" demo store (every role has a user there). */
export const DEMO_GROUP_STORES: readonly Store[] = [
  groupStore({
    id: 'st_HCAUDIBJ',
    name: '北京华辰奥迪 Huachen Audi Beijing',
    brands: ['Audi'],
    city: '北京',
    franchises: [FAW_VW],
  }),
  groupStore({
    id: 'st_HCAUDITJ',
    name: '天津华辰奥迪 Huachen Audi Tianjin',
    brands: ['Audi'],
    city: '天津',
    franchises: [FAW_VW],
  }),
  // Services Volkswagens of both makers, so it files with both OEMs (by the VIN's maker code).
  groupStore({
    id: 'st_HCVWBJ',
    name: '北京华辰大众 Huachen Volkswagen Beijing',
    brands: ['Volkswagen'],
    city: '北京',
    franchises: [FAW_VW, SAIC_VW],
  }),
];

/** An independent (no group) two-brand service centre in Shanghai. */
export const DEMO_INDEPENDENT_STORE: Store = {
  id: 'st_SHJIALI',
  kind: 'store',
  name: '上海嘉利汽车服务 Jiali Auto Service Shanghai',
  brands: ['Toyota', 'Volkswagen'],
  jurisdiction: 'CN',
  timeZone: 'Asia/Shanghai',
  city: '上海',
  // An authorised SAIC-VW service point; its Toyotas are serviced without a franchise (no claims).
  franchises: [SAIC_VW],
};

export const DEMO_STORES: readonly Store[] = [...DEMO_GROUP_STORES, DEMO_INDEPENDENT_STORE];

/**
 * The demo OEMs' warranty rules (索赔政策) as the pre-check reads them: the operations they pay with
 * their allowances in tenths (matching the stores' catalogue, `setup/setup.ts`), coverage and deadlines.
 */
const FAW_VW_RULES: OemClaimRulesInput = {
  coverage: { months: 36, km: 100_000 },
  extendedCoverage: { months: 60, km: 150_000 },
  labourOps: [
    { code: 'BRK-03', allowanceTenths: 15 },
    { code: 'CHS-05', allowanceTenths: 22 },
    { code: 'ELE-01', allowanceTenths: 4 },
    { code: 'ELE-02', allowanceTenths: 5 },
    { code: 'ELE-04', allowanceTenths: 4 },
    { code: 'ELE-05', allowanceTenths: 10 },
    { code: 'ENG-01', allowanceTenths: 42 },
    { code: 'ENG-02', allowanceTenths: 8 },
    { code: 'MNT-08', allowanceTenths: 12 },
    // The high-voltage check is paid on electric models from 2020 on.
    { code: 'EV-01', fromYear: 2020, allowanceTenths: 15 },
  ],
  requiredPhotos: 1,
  retentionDays: 90,
  duplicateWindowDays: 30,
  submissionDeadlineDays: 30,
};

const SAIC_VW_RULES: OemClaimRulesInput = {
  coverage: { months: 36, km: 100_000 },
  labourOps: [
    { code: 'BRK-03', allowanceTenths: 15 },
    { code: 'CHS-05', allowanceTenths: 16 },
    { code: 'ELE-01', allowanceTenths: 4 },
    { code: 'ELE-02', allowanceTenths: 5 },
    { code: 'ELE-04', allowanceTenths: 4 },
    { code: 'ELE-05', allowanceTenths: 10 },
    { code: 'ENG-01', allowanceTenths: 32 },
    { code: 'ENG-02', allowanceTenths: 8 },
    { code: 'MNT-08', allowanceTenths: 12 },
    { code: 'EV-01', fromYear: 2021, allowanceTenths: 15 },
  ],
  requiredPhotos: 2,
  retentionDays: 60,
  duplicateWindowDays: 45,
  submissionDeadlineDays: 20,
  min3cLength: 15,
};

export const DEMO_OEMS: readonly Oem[] = [
  {
    id: FAW_VW,
    kind: 'oem',
    name: '一汽-大众 FAW-Volkswagen',
    brands: ['Audi', 'Volkswagen'],
    wmis: ['LFV'],
    claimRules: OemClaimRules.parse(FAW_VW_RULES),
  },
  {
    id: SAIC_VW,
    kind: 'oem',
    name: '上汽大众 SAIC Volkswagen',
    brands: ['Volkswagen', 'Skoda'],
    wmis: ['LSV'],
    claimRules: OemClaimRules.parse(SAIC_VW_RULES),
  },
];

export const DEMO_ORGS: readonly Organisation[] = [DEMO_GROUP, ...DEMO_STORES, ...DEMO_OEMS];

/** The main demo store: every store role has a user here, and its record marks a finished seed. */
export const FIRST_STORE: Store = DEMO_GROUP_STORES[0]!;

export function demoStoreIds(): string[] {
  return DEMO_STORES.map((s) => s.id);
}

export function demoOrg(id: string): Organisation {
  const org = DEMO_ORGS.find((o) => o.id === id);
  if (!org) throw new Error(`No demo organisation ${id}`);
  return org;
}
