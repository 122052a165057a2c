import { type Membership, type Role, requiresMfa, type Store, type UserProfile } from '@aftersales/domain';
import { DEMO_GROUP, DEMO_INDEPENDENT_STORE, DEMO_OEMS, demoOrg } from './orgs.ts';

/** Development only: the local identity provider accepts this password for every demo user. */
export const DEMO_PASSWORD = 'demo1234';

/**
 * Development only: the TOTP secret (base32) of every demo user whose roles require MFA (managers, HQ),
 * seeded as enrolled so that every role can still sign in. Add it to an authenticator app, or print the
 * current code with `npm run totp`.
 */
export const DEMO_TOTP_SECRET = 'AFTERSALESDEMOTOTPSECRETKEY23456';

export interface DemoUser extends UserProfile {
  memberships: Membership[];
}

const [AUDI_BJ, AUDI_TJ, VW_BJ] = ['st_HCAUDIBJ', 'st_HCAUDITJ', 'st_HCVWBJ'] as const;

function member(tenantId: string, roles: Role[]): Membership {
  const org = demoOrg(tenantId);
  return { tenantId, tenantKind: org.kind, tenantName: org.name, roles };
}

function user(
  username: string,
  displayName: string,
  memberships: Membership[],
  locale: UserProfile['locale'] = 'zh-CN',
): DemoUser {
  const mfaEnrolled = requiresMfa(memberships.flatMap((m) => m.roles));
  return {
    id: `usr_${username.replace(/\./g, '_')}`,
    username,
    displayName,
    locale,
    ...(mfaEnrolled ? { mfaEnrolled } : {}),
    memberships,
  };
}

/**
 * Demo sign-ins. Usernames read as `<job>.<store>`; the first user is the main store's service
 * advisor (the everyday front-desk persona). Names are invented.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  // 北京华辰奥迪: one user for every store role (岗位).
  user('advisor.bj', '陈静 Chen Jing', [member(AUDI_BJ, ['service_advisor'])]),
  user('manager.bj', '王建国 Wang Jianguo', [member(AUDI_BJ, ['service_manager'])]),
  user('techdir.bj', '李志强 Li Zhiqiang', [member(AUDI_BJ, ['technical_director'])]),
  user('workshop.bj', '张海涛 Zhang Haitao', [member(AUDI_BJ, ['workshop_manager'])]),
  user('frontdesk.bj', '刘芳 Liu Fang', [member(AUDI_BJ, ['front_desk_supervisor'])]),
  user('cs.bj', '杨雪 Yang Xue', [member(AUDI_BJ, ['customer_service'])]),
  user('claims.bj', '赵磊 Zhao Lei', [member(AUDI_BJ, ['claims_specialist'])]),
  user('parts.bj', '黄勇 Huang Yong', [member(AUDI_BJ, ['parts_manager'])]),
  user('partsclerk.bj', '周婷 Zhou Ting', [member(AUDI_BJ, ['parts_clerk'])]),
  user('warehouse.bj', '吴刚 Wu Gang', [member(AUDI_BJ, ['warehouse_keeper'])]),
  user('tech.bj', '徐鹏 Xu Peng', [member(AUDI_BJ, ['technician'])]),
  // More hands on the Beijing floor (their level follows their place here, see seed/staff): a body-and-
  // paint man, a senior and a mid technician for the suites that clock on (one line at a time each),
  // and a junior whom the demo board shows at work.
  user('paint.bj', '钱伟 Qian Wei', [member(AUDI_BJ, ['technician'])]),
  user('tech2.bj', '孙涛 Sun Tao', [member(AUDI_BJ, ['technician'])]),
  user('tech3.bj', '马超 Ma Chao', [member(AUDI_BJ, ['technician'])]),
  user('tech4.bj', '冯磊 Feng Lei', [member(AUDI_BJ, ['technician'])]),
  // A second body-and-paint man, and a senior for the 会诊 suite.
  user('paint2.bj', '韩冰 Han Bing', [member(AUDI_BJ, ['technician'])]),
  user('tech5.bj', '邓飞 Deng Fei', [member(AUDI_BJ, ['technician'])]),
  // A mid-level technician for the claims suites (their orders' warranty work).
  user('tech6.bj', '曹阳 Cao Yang', [member(AUDI_BJ, ['technician'])]),
  // 天津华辰奥迪
  user('advisor.tj', '胡晓燕 Hu Xiaoyan', [member(AUDI_TJ, ['service_advisor'])]),
  user('manager.tj', '孙立平 Sun Liping', [member(AUDI_TJ, ['service_manager'])]),
  user('tech.tj', '朱浩 Zhu Hao', [member(AUDI_TJ, ['technician'])]),
  // Dispatches and gives every check where the store has no technical director.
  user('workshop.tj', '钱卫东 Qian Weidong', [member(AUDI_TJ, ['workshop_manager'])]),
  // 北京华辰大众
  user('advisor.vwbj', '林雨欣 Lin Yuxin', [member(VW_BJ, ['service_advisor'])]),
  user('manager.vwbj', '高明 Gao Ming', [member(VW_BJ, ['service_manager'])]),
  user('tech.vwbj', '何军 He Jun', [member(VW_BJ, ['technician'])]),
  // Works in two stores with different roles in each: exercises the store switcher.
  user('cs.huachen', '郭佳 Guo Jia', [
    member(AUDI_BJ, ['customer_service']),
    member(VW_BJ, ['customer_service', 'service_advisor']),
  ]),
  // 集团总部
  user('hq.exec', '宋志华 Song Zhihua', [member(DEMO_GROUP.id, ['hq_executive'])]),
  user('hq.analyst', 'Emma Clarke 柯艾玛', [member(DEMO_GROUP.id, ['hq_analyst'])], 'en'),
  // 上海嘉利 (independent)
  user('advisor.sh', '罗思琪 Luo Siqi', [member(DEMO_INDEPENDENT_STORE.id, ['service_advisor'])]),
  user('manager.sh', '马文博 Ma Wenbo', [member(DEMO_INDEPENDENT_STORE.id, ['service_manager'])]),
  user('tech.sh', '梁宇 Liang Yu', [member(DEMO_INDEPENDENT_STORE.id, ['technician'])]),
  // 厂家索赔审核
  user('oem.fawvw', '郑伟 Zheng Wei', [member(DEMO_OEMS[0]!.id, ['oem_claims'])]),
  user('oem.saicvw', 'Daniel Becker 贝丹尼', [member(DEMO_OEMS[1]!.id, ['oem_claims'])], 'en'),
];

export interface DemoOemClient {
  /** The OAuth client id; a client-credentials token's `sub` is this id, so it is also the directory user id. */
  clientId: string;
  clientSecret: string;
  oemId: string;
}

/** Machine-to-machine clients (client-credentials grant) through which OEM systems call the API. */
export const DEMO_OEM_CLIENTS: readonly DemoOemClient[] = [
  { clientId: 'oem-fawvw-claims', clientSecret: 'demo-fawvw-secret', oemId: DEMO_OEMS[0]!.id },
  { clientId: 'oem-saicvw-claims', clientSecret: 'demo-saicvw-secret', oemId: DEMO_OEMS[1]!.id },
];

/** The directory principal behind each OEM client (not a person, so not in DEMO_USERS). */
export function oemClientPrincipals(): DemoUser[] {
  return DEMO_OEM_CLIENTS.map((c) => {
    const oem = demoOrg(c.oemId);
    return {
      id: c.clientId,
      username: c.clientId,
      displayName: `${oem.name} API`,
      locale: 'en',
      memberships: [member(c.oemId, ['oem_claims'])],
    };
  });
}

/** The demo user holding `role` in `storeId` (first match), for tests and docs. */
export function demoUserFor(role: Role, tenantId: string = AUDI_BJ): DemoUser {
  const found = DEMO_USERS.find((u) =>
    u.memberships.some((m) => m.tenantId === tenantId && m.roles.includes(role)),
  );
  if (!found) throw new Error(`No demo user with ${role} in ${tenantId}`);
  return found;
}

/** Users with a membership in this store. */
export function demoUsersOf(store: Pick<Store, 'id'>): DemoUser[] {
  return DEMO_USERS.filter((u) => u.memberships.some((m) => m.tenantId === store.id));
}
