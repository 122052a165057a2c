import type { DealerGroup, Oem, Organisation, Store } from '@aftersales/domain';

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
  }),
  groupStore({
    id: 'st_HCAUDITJ',
    name: '天津华辰奥迪 Huachen Audi Tianjin',
    brands: ['Audi'],
    city: '天津',
  }),
  groupStore({
    id: 'st_HCVWBJ',
    name: '北京华辰大众 Huachen Volkswagen Beijing',
    brands: ['Volkswagen'],
    city: '北京',
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
};

export const DEMO_STORES: readonly Store[] = [...DEMO_GROUP_STORES, DEMO_INDEPENDENT_STORE];

export const DEMO_OEMS: readonly Oem[] = [
  { id: 'oem_FAWVOLKSWAGEN', kind: 'oem', name: '一汽-大众 FAW-Volkswagen', brands: ['Audi', 'Volkswagen'] },
  {
    id: 'oem_SAICVOLKSWAGEN',
    kind: 'oem',
    name: '上汽大众 SAIC Volkswagen',
    brands: ['Volkswagen', 'Skoda'],
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
