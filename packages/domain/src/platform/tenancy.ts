import * as z from 'zod';
import { OemClaimRules } from '../claims/oem-rules.ts';
import { filledText, RequiredText } from './fields.ts';

/**
 * Who may do what. Organisations are tenants: a store (4S店) owns its records; a dealer group
 * (集团) sees the stores it owns; an OEM (厂家) sees only what is filed to it.
 */
export const TenantKind = z.enum(['store', 'group', 'oem']);
export type TenantKind = z.infer<typeof TenantKind>;

/** Statutory ruleset a store works under (see shared/RULES.md); also decides VIN strictness. */
export const Jurisdiction = z.enum(['CN', 'US-CA', 'US-NY', 'US-TX', 'EU']);
export type Jurisdiction = z.infer<typeof Jurisdiction>;

export const StoreRole = z.enum([
  'service_manager', // 售后服务部经理
  'technical_director', // 技术总监
  'workshop_manager', // 车间主任
  'front_desk_supervisor', // 前台主管
  'service_advisor', // 服务顾问
  'customer_service', // 客服专员
  'claims_specialist', // 索赔专员
  'parts_manager', // 配件经理
  'parts_clerk', // 配件专员
  'warehouse_keeper', // 库管员
  'technician', // 维修技师
]);
export type StoreRole = z.infer<typeof StoreRole>;

export const GroupRole = z.enum([
  'hq_executive', // 集团售后总监
  'hq_analyst', // 集团数据分析
]);
export type GroupRole = z.infer<typeof GroupRole>;

export const OemRole = z.enum(['oem_claims']); // 厂家索赔审核
export type OemRole = z.infer<typeof OemRole>;

export const Role = z.union([StoreRole, GroupRole, OemRole]);
export type Role = z.infer<typeof Role>;

/** The longest a tenant id can be (`grp_`/`oem_` and 40 characters): paths state it, longer ones are a 400. */
export const TENANT_ID_MAX_LENGTH = 44;

export const TenantId = z
  .string()
  .regex(/^(st|grp|oem)_[0-9A-Z]{6,40}$/, 'A tenant id looks like st_…, grp_… or oem_…');

export const Brand = filledText(40);
const OrganisationName = z.string().check(z.minLength(1), z.maxLength(120));

export const DealerGroup = z.object({
  id: TenantId,
  kind: z.literal('group'),
  name: OrganisationName,
  jurisdiction: Jurisdiction,
});
export type DealerGroup = z.infer<typeof DealerGroup>;

/** Zones already checked: the HQ home parses one figures item per store, each with its store's zone. */
const checkedZones = new Map<string, boolean>();

/** Whether `Intl` knows the zone: what `localDay` and the web app's date formats need. */
export function isTimeZone(zone: string): boolean {
  let known = checkedZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = zone.trim() === zone && zone !== '';
    } catch {
      known = false;
    }
    // Bounded: a client can send any number of made-up zones.
    if (checkedZones.size < 1_000) checkedZones.set(zone, known);
  }
  return known;
}

/** An IANA time zone (e.g. Asia/Shanghai), one `Intl` knows. */
export const TimeZone = z.string().refine(isTimeZone, 'Use an IANA time zone such as Asia/Shanghai.');

export const Store = z.object({
  id: TenantId,
  kind: z.literal('store'),
  name: OrganisationName,
  /** Absent for an independent store. */
  groupId: TenantId.optional(),
  brands: z.array(Brand).min(1),
  jurisdiction: Jurisdiction,
  /** IANA zone (e.g. Asia/Shanghai): the store's days in HQ figures, its times in the web app. */
  timeZone: TimeZone,
  city: z.string().max(60).optional(),
  /** The manufacturers that authorise it (特约授权): its warranty claims go to them (claims/rules.ts). */
  franchises: z.array(TenantId).optional(),
});
export type Store = z.infer<typeof Store>;

export const Oem = z.object({
  id: TenantId,
  kind: z.literal('oem'),
  name: OrganisationName,
  brands: z.array(Brand).min(1),
  /**
   * World manufacturer identifiers (VIN positions 1–3) of the cars it builds, where two makers share a
   * brand (FAW-VW `LFV`, SAIC-VW `LSV`); absent: every car of its brands.
   */
  wmis: z.array(z.string().regex(/^[A-HJ-NPR-Z0-9]{3}$/)).optional(),
  /** Its warranty policy as the pre-check reads it (absent: the defaults). */
  claimRules: OemClaimRules.optional(),
});
export type Oem = z.infer<typeof Oem>;

export const Organisation = z.discriminatedUnion('kind', [DealerGroup, Store, Oem]);
export type Organisation = z.infer<typeof Organisation>;

/** A user's roles in one organisation (岗位). */
export const Membership = z.object({
  tenantId: TenantId,
  tenantKind: TenantKind,
  tenantName: z.string(),
  roles: z.array(Role).min(1),
});
export type Membership = z.infer<typeof Membership>;

export const UserProfile = z.object({
  id: RequiredText,
  username: RequiredText,
  displayName: RequiredText,
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /**
   * The identity provider has confirmed a TOTP authenticator for this user (`POST /v1/session/mfa`):
   * what the API checks for the roles that require MFA.
   */
  mfaEnrolled: z.boolean().optional(),
});
export type UserProfile = z.infer<typeof UserProfile>;

/**
 * Whether a user may still use the API, kept on the user's directory item beside the profile (and never
 * shown as part of it). `sessionsRevokedAt`: every token issued at or before it is refused (sign-out,
 * disabling, a stolen device); Cognito's tokens stay valid until they expire, so the API checks this on
 * every request's principal.
 */
export const UserAccess = z.object({
  disabled: z.boolean().default(false),
  sessionsRevokedAt: z.iso.datetime().optional(),
});
export type UserAccess = z.infer<typeof UserAccess>;

/** Who is acting, as every write's audit entry records it. */
export const Actor = z.object({
  userId: z.string(),
  name: z.string(),
  roles: z.array(Role),
});
export type Actor = z.infer<typeof Actor>;

/** VIN check digits are law in China and North America; elsewhere a mismatch only warns. */
export function vinPolicyFor(jurisdiction: Jurisdiction): 'strict' | 'warn' {
  return jurisdiction === 'EU' ? 'warn' : 'strict';
}
