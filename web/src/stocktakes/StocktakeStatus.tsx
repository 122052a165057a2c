import { Badge } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { Stocktake } from './api.ts';

const KIND = { open: 'info', counted: 'warning', posted: 'success', cancelled: 'neutral' } as const;

export function StocktakeStatusBadge({ status }: { status: Stocktake['status'] }) {
  const { t } = useI18n();
  return <Badge kind={KIND[status]}>{t(`stk.statuses.${status}`)}</Badge>;
}
