/** 三包预警 for other features' screens (the claim page, the booking, reception, the RO). */

export {
  CODED_PAYERS,
  FaultFields,
  type FaultForm,
  faultFieldOrder,
  faultFormOf,
  faultOf,
  UncodedFaultsNotice,
} from './FaultFields.tsx';
export { FindingText, LemonBanner } from './LemonBanner.tsx';
export { LemonLevelBadge } from './LemonWatchPage.tsx';
