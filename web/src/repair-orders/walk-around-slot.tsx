/**
 * Where the walk-around photos panel (环车检查, `walk-around/WalkAroundPanel.tsx`, built separately)
 * goes on the order's page: render `<WalkAroundPanel storeId={storeId} repairOrderId={repairOrderId} />`
 * here once it is on main. Until then the order's page shows nothing in its place.
 */
export function WalkAroundSlot(_props: { storeId: string; repairOrderId: string }) {
  return null;
}
