import { useCallback } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { useLoad } from '../components/load.ts';
import { PageHeader, Section, Vin } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { nameIn } from '../repair-orders/shared.tsx';
import { type Claim, type ClaimedPart, listPartsAsked, searchClaims } from './api.ts';
import { DueDate, fen, useStoreToday } from './shared.tsx';

/** A part the OEM asked back, with the claim it belongs to. */
type AskedPart = { claim: Claim; part: ClaimedPart };

/**
 * 索赔工作台: what the claims specialist has to do — drafts to file (by their submission deadline),
 * claims the OEM returned for information (its question and the answer's deadline), and the kept parts
 * the OEM asked back (by their ship-by day, overdue ones flagged).
 */
export function WorklistPage() {
  const { t, locale } = useI18n();
  const { api, href } = useStore();
  const today = useStoreToday();
  const drafts = usePagedList(
    useCallback((cursor?: string) => searchClaims(api, { status: 'draft', cursor, limit: 25 }), [api]),
  );
  const returned = usePagedList(
    useCallback((cursor?: string) => searchClaims(api, { status: 'returned', cursor, limit: 25 }), [api]),
  );
  const asked = useLoad(useCallback(() => listPartsAsked(api), [api]));
  const parts: AskedPart[] | null = asked.data
    ? asked.data.items
        .flatMap((claim) =>
          claim.parts.filter((p) => p.status === 'return_requested').map((part) => ({ claim, part })),
        )
        .sort((a, b) => (a.part.returnRequest?.dueBy ?? '').localeCompare(b.part.returnRequest?.dueBy ?? ''))
    : null;
  const claimLink = (c: Claim) => <Link href={href(`claims/${c.id}`)}>{c.id}</Link>;

  return (
    <div class="page">
      <PageHeader
        title={t('clm.worklist.title')}
        actions={
          <Link class="btn" href={href('claims/archive')}>
            {t('nav.claimArchive')}
          </Link>
        }
      />
      <Section title={t('clm.worklist.drafts')}>
        <ListTable
          {...drafts}
          rowKey={(c) => c.id}
          rowClass={(c) => (c.submitBy < today ? 'row-warning' : undefined)}
          empty={t('clm.worklist.noDrafts')}
          columns={[
            { label: t('clm.claim'), cell: claimLink },
            { label: t('clm.vin'), cell: (c) => <Vin vin={c.vin} /> },
            { label: t('clm.vehicle'), cell: (c) => `${c.brand} ${c.model}` },
            { label: t('clm.ro'), cell: (c) => c.repairOrderId },
            { label: t('clm.submitBy'), cell: (c) => <DueDate due={c.submitBy} today={today} /> },
            { label: t('clm.claimed'), cell: (c) => fen(c.claimedMinor), num: true },
          ]}
        />
      </Section>
      <Section title={t('clm.worklist.returned')}>
        <ListTable
          {...returned}
          rowKey={(c) => c.id}
          empty={t('clm.worklist.noReturned')}
          columns={[
            { label: t('clm.claim'), cell: claimLink },
            { label: t('clm.vin'), cell: (c) => <Vin vin={c.vin} /> },
            { label: t('clm.question'), cell: (c) => c.infoRequest?.question },
            {
              label: t('clm.answerBy'),
              cell: (c) => (c.infoRequest ? <DueDate due={c.infoRequest.dueBy} today={today} /> : '—'),
            },
            { label: t('clm.claimed'), cell: (c) => fen(c.claimedMinor), num: true },
          ]}
        />
      </Section>
      <Section title={t('clm.worklist.parts')}>
        <ListTable
          rows={parts}
          error={asked.error}
          retry={() => void asked.reload()}
          rowKey={(r) => `${r.claim.id}/${r.part.id}`}
          rowClass={(r) => ((r.part.returnRequest?.dueBy ?? today) < today ? 'row-warning' : undefined)}
          empty={t('clm.worklist.noParts')}
          columns={[
            { label: t('clm.claim'), cell: (r) => claimLink(r.claim) },
            {
              label: t('clm.part'),
              cell: (r) => `${r.part.partNumber} ${nameIn(locale, r.part.name)}`.trim(),
            },
            { label: t('clm.quantity'), cell: (r) => String(r.part.quantity), num: true },
            { label: t('clm.location'), cell: (r) => r.part.location },
            {
              label: t('clm.shipBy'),
              cell: (r) =>
                r.part.returnRequest ? <DueDate due={r.part.returnRequest.dueBy} today={today} /> : '—',
            },
          ]}
        />
      </Section>
    </div>
  );
}
