import { defineCapability } from '../platform/capability.ts';

/** 集团看板: HQ reads projections of its stores' events; it owns no aggregate and emits no events. */
export const HQ = defineCapability({
  aggregates: {},
  events: {},
  permissions: { 'hq:read': ['hq_executive', 'hq_analyst'] },
});
