import type { ComponentChildren } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { ConflictNotice, isVersionConflict, useVersionedRecord } from '../components/conflict.tsx';
import { SelectField, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { HistoryList } from '../components/HistoryList.tsx';
import { ListTable } from '../components/ListTable.tsx';
import {
  Badge,
  Dialog,
  ErrorNotice,
  Facts,
  Loading,
  Notice,
  PageHeader,
  Plate,
  Section,
  Tabs,
  useErrorText,
  Vin,
} from '../components/ui.tsx';
import { optionalNumber } from '../components/validation.ts';
import { customerName, rememberName } from '../customers/api.ts';
import { CustomerPicker, type PickedCustomer } from '../customers/CustomerPicker.tsx';
import { useI18n } from '../i18n/index.tsx';
import {
  getVehicle,
  linkCustomer,
  recordOdometer,
  type SecondaryRole,
  transferVehicle,
  unlinkCustomer,
  vehicleHistory,
} from './api.ts';

type Action = 'transfer' | 'link' | 'odometer' | null;

/** 车辆档案: identity, dates, owner and drivers, mileage, history; 过户, 送修人 and 里程 as actions. */
export function VehiclePage({ vehicleId }: { vehicleId: string }) {
  const { t, m, date, dateTime, number } = useI18n();
  const { api, href, can, canOpen } = useStore();
  const errorText = useErrorText();
  const [tab, setTab] = useState('profile');
  const [action, setAction] = useState<Action>(null);
  const [done, setDone] = useState<string | null>(null);
  const [unlinking, setUnlinking] = useState<string | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);

  const vehicle = useVersionedRecord(
    useCallback(
      () =>
        getVehicle(api, vehicleId).then((r) => {
          for (const l of r.data.links) if (l.customerName) rememberName(api, l.customerId, l.customerName);
          return r;
        }),
      [api, vehicleId],
    ),
  );
  const { data: record, error: loadError, reload: load } = vehicle;
  const nameOf = useCallback((id: string) => customerName(api, id), [api]);
  const loadHistory = useCallback(
    (cursor?: string) => vehicleHistory(api, vehicleId, cursor),
    [api, vehicleId],
  );

  if (loadError) return <ErrorNotice error={loadError} onRetry={() => void load()} />;
  if (!record) return <Loading />;
  const v = record.data;
  const canWrite = can('registry:write');
  const active = v.links.filter((l) => !l.until);
  const owner = active.find((l) => l.role === 'owner');
  const others = active.filter((l) => l.role !== 'owner');
  const former = v.links.filter((l) => l.until);
  const lastKm = v.lastOdometerKm;

  /**
   * Runs a change at the loaded version, then reloads. A stale version closes the dialog: the page's
   * conflict notice takes over. Any other refusal is thrown on, for the dialog to show.
   */
  const run = async (fn: (etag: string) => Promise<unknown>, success: string): Promise<void> => {
    try {
      await vehicle.change(fn);
    } catch (err) {
      if (!isVersionConflict(err)) throw err;
      setAction(null);
      setPageError(null);
      return;
    }
    setAction(null);
    setDone(success);
    setPageError(null);
  };

  const tabs = [{ id: 'profile', label: t('vehicle.tabProfile') }];
  if (can('audit:read')) tabs.push({ id: 'history', label: t('tabs.history') });

  return (
    <div class="page">
      <PageHeader
        back={{ href: href(), label: t('nav.frontDesk') }}
        title={
          <span class="vehicle-title">
            <Plate plate={v.plate} />
            <span>
              {v.brand} {v.model}
            </span>
          </span>
        }
        subtitle={t('vehicle.title')}
        actions={
          canWrite && (
            <>
              {canOpen(`vehicles/${v.id}/edit`) && (
                <Link class="btn" href={href(`vehicles/${v.id}/edit`)}>
                  {t('vehicle.edit')}
                </Link>
              )}
              <button type="button" class="btn" onClick={() => setAction('transfer')}>
                {t('vehicle.transfer')}
              </button>
              <button type="button" class="btn" onClick={() => setAction('link')}>
                {t('vehicle.addDriver')}
              </button>
              <button type="button" class="btn btn-primary" onClick={() => setAction('odometer')}>
                {t('vehicle.recordOdometer')}
              </button>
            </>
          )
        }
      />
      {done && <Notice kind="success">{done}</Notice>}
      {vehicle.stale && <ConflictNotice text={t('conflict.vehicle')} onReload={() => void load()} />}
      {pageError && <Notice kind="warning">{pageError}</Notice>}
      {v.vinWarning && <Notice kind="warning">{t('vehicle.vinWarningStored')}</Notice>}
      <Tabs tabs={tabs} active={tab} onChange={setTab} />
      {tab === 'history' ? (
        <Section title={t('tabs.history')}>
          <HistoryList load={loadHistory} nameOf={nameOf} />
        </Section>
      ) : (
        <div class="grid-2">
          <Section title={t('vehicle.identity')}>
            <Facts
              items={[
                [t('vehicle.vin'), <Vin key="vin" vin={v.vin} />],
                [t('vehicle.plate'), v.plate],
                [t('vehicle.brand'), v.brand],
                [t('vehicle.model'), v.model],
                [t('vehicle.modelYear'), v.modelYear],
                [t('vehicle.colour'), v.colour],
                [t('vehicle.powertrain'), v.powertrain ? m.powertrains[v.powertrain] : undefined],
              ]}
            />
          </Section>
          <Section title={t('vehicle.people')}>
            <ul class="people">
              <li>
                <Badge kind="info">{m.linkRoles.owner}</Badge>{' '}
                {owner ? (
                  <>
                    <Link href={href(`customers/${owner.customerId}`)}>
                      {owner.customerName ?? owner.customerId}
                    </Link>
                    <span class="muted">
                      {' '}
                      · {t('common.since')} {dateTime(owner.since)}
                    </span>
                  </>
                ) : (
                  <span class="muted">{t('vehicle.noOwner')}</span>
                )}
              </li>
              {others.map((l) => {
                const key = `${l.role}/${l.customerId}`;
                return (
                  <li key={key}>
                    <Badge>{m.linkRoles[l.role]}</Badge>{' '}
                    <Link href={href(`customers/${l.customerId}`)}>{l.customerName ?? l.customerId}</Link>
                    <span class="muted">
                      {' '}
                      · {t('common.since')} {dateTime(l.since)}
                    </span>
                    {canWrite &&
                      (unlinking === key ? (
                        <span class="inline-confirm">
                          <button
                            type="button"
                            class="btn btn-small btn-danger"
                            onClick={async () => {
                              await run(
                                (etag) =>
                                  unlinkCustomer(
                                    api,
                                    v.id,
                                    { customerId: l.customerId, role: l.role as SecondaryRole },
                                    etag,
                                  ),
                                t('vehicle.unlinked', { name: l.customerName ?? '' }),
                              ).catch((err: unknown) => setPageError(errorText(err)));
                              setUnlinking(null);
                            }}
                          >
                            {t('vehicle.confirmUnlink')}
                          </button>
                          <button
                            type="button"
                            class="btn btn-small btn-quiet"
                            onClick={() => setUnlinking(null)}
                          >
                            {t('action.cancel')}
                          </button>
                        </span>
                      ) : (
                        <button type="button" class="btn btn-small" onClick={() => setUnlinking(key)}>
                          {t('vehicle.unlink', { name: l.customerName ?? '' })}
                        </button>
                      ))}
                  </li>
                );
              })}
            </ul>
            {former.length > 0 && (
              <details class="past">
                <summary>{t('vehicle.formerLinks', { n: former.length })}</summary>
                <ul class="plain-list">
                  {former.map((l) => (
                    <li key={`${l.role}/${l.customerId}/${l.since}`}>
                      {m.linkRoles[l.role]}:{' '}
                      <Link href={href(`customers/${l.customerId}`)}>{l.customerName ?? l.customerId}</Link>{' '}
                      <span class="muted">
                        {dateTime(l.since)} – {dateTime(l.until)}
                      </span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </Section>
          <Section title={t('vehicle.datesAndMileage')}>
            <Facts
              items={[
                [t('vehicle.invoiceDate'), date(v.invoiceDate)],
                [t('vehicle.deliveryDate'), date(v.deliveryDate)],
                [t('vehicle.warrantyStart'), date(v.warrantyStart)],
                [t('vehicle.odometerKm'), lastKm === undefined ? undefined : `${number(lastKm)} km`],
                [t('vehicle.lastServed'), dateTime(v.lastServedAt)],
              ]}
            />
          </Section>
          <Section title={t('vehicle.odometerReadings')}>
            <ListTable
              rows={v.odometer}
              columns={[
                { label: t('vehicle.readingKm'), num: true, cell: (r) => number(r.km) },
                { label: t('vehicle.readingAt'), cell: (r) => dateTime(r.readAt) },
                { label: t('vehicle.readingSource'), cell: (r) => m.odometerSources[r.source] },
              ]}
              rowKey={(r) => `${r.readAt}-${r.km}`}
              empty={t('vehicle.noReadings')}
            />
            {v.moreOdometerReadings && (
              <p class="muted">{t('vehicle.newestReadingsOnly', { n: v.odometer.length })}</p>
            )}
          </Section>
        </div>
      )}
      {action === 'transfer' && (
        <TransferDialog
          currentOwnerId={owner?.customerId}
          onClose={() => setAction(null)}
          onSubmit={(c) =>
            run((etag) => transferVehicle(api, v.id, c.id, etag), t('vehicle.transferred', { name: c.name }))
          }
        />
      )}
      {action === 'link' && (
        <LinkDialog
          exclude={active.map((l) => l.customerId)}
          onClose={() => setAction(null)}
          onSubmit={(c, role) =>
            run(
              (etag) => linkCustomer(api, v.id, { customerId: c.id, role }, etag),
              t('vehicle.linked', { name: c.name }),
            )
          }
        />
      )}
      {action === 'odometer' && (
        <OdometerDialog
          lastKm={lastKm}
          onClose={() => setAction(null)}
          onSubmit={(km) =>
            run(
              (etag) => recordOdometer(api, v.id, km, etag),
              t('vehicle.odometerRecorded', { km: number(km) }),
            )
          }
        />
      )}
    </div>
  );
}

/** A dialog's save: resolves when it went through, else throws what the API refused. */
type Submit<A extends unknown[]> = (...args: A) => Promise<void>;

/** A dialog holding one form: problems on top (focused after a failed save), the fields, then the buttons. */
function FormDialog({
  title,
  submitLabel,
  submitting,
  order,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  submitLabel: string;
  submitting: ReturnType<typeof useSubmitting>;
  order: readonly string[];
  onSubmit: () => void;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <Dialog title={title} onClose={onClose}>
      <ValidatedForm errors={submitting.errors} order={order} onSubmit={onSubmit}>
        {children}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={submitting.busy}>
            {submitting.busy ? t('form.saving') : submitLabel}
          </button>
          <button type="button" class="btn btn-quiet" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </ValidatedForm>
    </Dialog>
  );
}

function useSubmitting() {
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();
  const go = async (fn: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    errors.set({});
    try {
      await fn();
    } catch (err) {
      errors.refused(err);
    }
    setBusy(false);
  };
  return { busy, errors, go };
}

function TransferDialog({
  currentOwnerId,
  onClose,
  onSubmit,
}: {
  currentOwnerId: string | undefined;
  onClose: () => void;
  onSubmit: Submit<[PickedCustomer]>;
}) {
  const { t } = useI18n();
  const [picked, setPicked] = useState<PickedCustomer | null>(null);
  const s = useSubmitting();
  return (
    <FormDialog
      title={t('vehicle.transferTitle')}
      submitLabel={t('vehicle.confirmTransfer')}
      submitting={s}
      order={['newOwnerCustomerId']}
      onClose={onClose}
      onSubmit={() => {
        if (!picked) return s.errors.fail({ newOwnerCustomerId: t('vehicle.pickCustomerFirst') });
        void s.go(() => onSubmit(picked));
      }}
    >
      <p class="hint">{t('vehicle.transferHint')}</p>
      <CustomerPicker
        label={t('vehicle.newOwner')}
        field="newOwnerCustomerId"
        value={picked}
        onChange={setPicked}
        exclude={currentOwnerId ? [currentOwnerId] : []}
      />
    </FormDialog>
  );
}

function LinkDialog({
  exclude,
  onClose,
  onSubmit,
}: {
  exclude: string[];
  onClose: () => void;
  onSubmit: Submit<[PickedCustomer, SecondaryRole]>;
}) {
  const { t, m } = useI18n();
  const [picked, setPicked] = useState<PickedCustomer | null>(null);
  const [role, setRole] = useState<SecondaryRole>('driver');
  const s = useSubmitting();
  return (
    <FormDialog
      title={t('vehicle.addDriverTitle')}
      submitLabel={t('vehicle.confirmLink')}
      submitting={s}
      order={['customerId', 'role']}
      onClose={onClose}
      onSubmit={() => {
        if (!picked) return s.errors.fail({ customerId: t('vehicle.pickCustomerFirst') });
        void s.go(() => onSubmit(picked, role));
      }}
    >
      <CustomerPicker
        label={t('vehicle.linkCustomer')}
        field="customerId"
        value={picked}
        onChange={setPicked}
        exclude={exclude}
      />
      <SelectField<SecondaryRole>
        label={t('vehicle.linkRole')}
        field="role"
        value={role}
        options={[
          { value: 'driver', label: m.linkRoles.driver },
          { value: 'fleet_contact', label: m.linkRoles.fleet_contact },
        ]}
        onValue={setRole}
      />
    </FormDialog>
  );
}

function OdometerDialog({
  lastKm,
  onClose,
  onSubmit,
}: {
  lastKm: number | undefined;
  onClose: () => void;
  onSubmit: Submit<[number]>;
}) {
  const { t, number } = useI18n();
  const [km, setKm] = useState('');
  const s = useSubmitting();
  return (
    <FormDialog
      title={t('vehicle.recordOdometer')}
      submitLabel={t('vehicle.saveReading')}
      submitting={s}
      order={['km']}
      onClose={onClose}
      onSubmit={() => {
        const n = optionalNumber(km);
        if (n === undefined || !Number.isInteger(n) || n < 0 || n > 2_000_000)
          return s.errors.fail({ km: t('vehicle.kmInvalid') });
        if (lastKm !== undefined && n < lastKm)
          return s.errors.fail({ km: t('vehicle.kmLower', { km: number(lastKm) }) });
        void s.go(() => onSubmit(n));
      }}
    >
      <TextField
        label={t('vehicle.odometerKm')}
        field="km"
        value={km}
        onValue={setKm}
        inputMode="numeric"
        autoComplete="off"
        hint={lastKm === undefined ? undefined : t('vehicle.lastReading', { km: number(lastKm) })}
        required
      />
    </FormDialog>
  );
}
