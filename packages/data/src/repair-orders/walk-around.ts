import { createHash } from 'node:crypto';
import {
  ConflictError,
  decidePhotoSeal,
  decideWalkAround,
  emptyWalkAround,
  NotFoundError,
  newId,
  PHOTO_ID_PREFIX,
  type PhotoObject,
  type PhotoSealInput,
  type PhotoUpload,
  type PhotoUploadRequest,
  type PhotoView,
  photoIntact,
  requirePhotoRoom,
  requireSealedSignature,
  type SealedPhoto,
  UPLOAD_URL_TTL_SECONDS,
  ValidationError,
  VersionConflictError,
  WalkAround,
  type WalkAroundInputFields,
  type WalkAroundView,
} from '@aftersales/domain';
import type { TenantData } from '../index.ts';
import { AggregateRepository, defineAggregate } from '../platform/aggregate.ts';
import type { TenantBucket } from '../platform/objects.ts';
import type { TenantContext, TenantTable } from '../platform/tenant-table.ts';
import { signatureOf } from '../purchasing/plans.ts';
import { ChecklistTemplates } from '../setup/checklist-templates.ts';
import { RepairOrders } from './repair-orders.ts';

/**
 * 环车检查, one item per repair order beside it: pk `<t>#ROWA#<repairOrderId>` sk `#WA`, its id the
 * order's. Kept apart from the order's item so that photos sealed in the background never race the
 * advisor's edits of the order; the order's screen reads it with one more GetItem.
 */
export const WALK_AROUND = defineAggregate({
  name: 'walkAround',
  label: 'WalkAround',
  idParam: 'repairOrderId',
  prefix: 'ROWA',
  recordSk: '#WA',
  schema: WalkAround,
});

/** A photo's URL to view it lives a few minutes: long enough to open, too short to pass around. */
const VIEW_URL_TTL_SECONDS = 5 * 60;
/** Photos uploading in the background seal concurrently; each retry re-reads the record. */
const SEAL_ATTEMPTS = 5;

export class WalkArounds extends AggregateRepository<typeof WALK_AROUND> {
  constructor(t: TenantTable, ctx: TenantContext) {
    super(t, ctx, WALK_AROUND);
  }

  /** The inspection of an order in this store (version 0 while not begun); 404 for an order not here. */
  async view(tenant: TenantData, repairOrderId: string): Promise<WalkAroundView> {
    const stored = await this.get(repairOrderId);
    if (stored) return stored;
    await tenant.repo(RepairOrders).require(repairOrderId);
    return emptyWalkAround(repairOrderId, this.t.tenantId);
  }

  /** The sealed signature a counter approval names (`photo:<id>`); a 400 on `signatureRef` when there is none. */
  async signature(tenant: TenantData, repairOrderId: string, ref: string): Promise<SealedPhoto> {
    return requireSealedSignature(await this.view(tenant, repairOrderId), ref);
  }

  /** The order and its inspection, both read at once. */
  private async current(tenant: TenantData, repairOrderId: string) {
    const [ro, stored] = await Promise.all([
      tenant.repo(RepairOrders).require(repairOrderId),
      this.get(repairOrderId),
    ]);
    return { ro, current: stored ?? emptyWalkAround(repairOrderId, this.t.tenantId) };
  }

  /** The form recorded on the version read (0: not begun); the same answers change nothing. */
  async record(
    tenant: TenantData,
    repairOrderId: string,
    input: WalkAroundInputFields,
    expectedVersion: number,
  ): Promise<WalkAroundView> {
    const [{ ro, current }, template] = await Promise.all([
      this.current(tenant, repairOrderId),
      tenant.repo(ChecklistTemplates).get(input.templateId),
    ]);
    if (current.version !== expectedVersion)
      throw new VersionConflictError(this.declaration.label, repairOrderId, current.version);
    if (!template)
      throw new ValidationError([
        {
          path: 'templateId',
          code: 'CHECKLIST_TEMPLATE_NOT_FOUND',
          message: 'No such template in the store.',
        },
      ]);
    const decision = decideWalkAround(ro, current, template, input, this.now().toISOString());
    if (!decision) return current;
    return this.write(current, decision.next, decision);
  }

  /** A presigned PUT for one photo of the declared type and size, if the order has room for it. */
  async presignPhoto(
    tenant: TenantData,
    repairOrderId: string,
    request: PhotoUploadRequest,
  ): Promise<PhotoUpload> {
    const { ro, current } = await this.current(tenant, repairOrderId);
    requirePhotoRoom(ro, current);
    const now = this.now();
    const photoId = newId(PHOTO_ID_PREFIX, now.getTime());
    const { url, expiresAt } = await tenant.bucket.presignPut(
      photoKey(tenant.bucket, repairOrderId, photoId),
      {
        contentType: request.contentType,
        size: request.bytes,
        now,
        ttlSeconds: UPLOAD_URL_TTL_SECONDS,
      },
    );
    return { photoId, url, method: 'PUT', headers: { 'content-type': request.contentType }, expiresAt };
  }

  /**
   * 封存: reads the uploaded object, hashes it and records the hash, size and the server's time on the
   * inspection. Sealing again answers the first seal; an object not uploaded is a 409.
   */
  async seal(
    tenant: TenantData,
    repairOrderId: string,
    photoId: string,
    input: PhotoSealInput,
  ): Promise<{ photo: SealedPhoto; created: boolean }> {
    let object: PhotoObject | undefined;
    for (let attempt = 1; ; attempt++) {
      const { ro, current } = await this.current(tenant, repairOrderId);
      if (!current.photos.some((p) => p.photoId === photoId))
        object ??= await hashObject(tenant.bucket, repairOrderId, photoId);
      const by = signatureOf(this.ctx);
      const { photo, decision } = decidePhotoSeal(
        ro,
        current,
        photoId,
        object ?? { contentType: undefined, bytes: 0, sha256: '' },
        input,
        by,
      );
      if (!decision) return { photo, created: false };
      try {
        await this.write(current, decision.next, decision);
        return { photo, created: true };
      } catch (e) {
        if (!(e instanceof VersionConflictError) || attempt >= SEAL_ATTEMPTS) throw e;
      }
    }
  }

  /** A sealed photo with a short-lived URL to view it, and whether the stored file still matches the seal. */
  async photo(tenant: TenantData, repairOrderId: string, photoId: string): Promise<PhotoView> {
    const { photos } = await this.view(tenant, repairOrderId);
    const photo = photos.find((p) => p.photoId === photoId);
    if (!photo) throw new NotFoundError('Photo', photoId);
    const target = photoKey(tenant.bucket, repairOrderId, photoId);
    const stored = await readHash(tenant.bucket, target);
    const { url, expiresAt } = await tenant.bucket.presignGet(target, {
      now: this.now(),
      ttlSeconds: VIEW_URL_TTL_SECONDS,
    });
    return { photo, url, expiresAt, intact: stored !== undefined && photoIntact(photo, stored) };
  }

  /** Creates the record on its first write (version 0), or saves it on the version read. */
  private async write(
    current: WalkAroundView,
    next: WalkAround,
    opts: Parameters<WalkArounds['save']>[2],
  ): Promise<WalkAround> {
    if (current.version > 0) return this.save(WalkAround.parse(current), next, opts);
    const { created } = await this.createRecord(next, opts);
    // Another first write won: the caller read version 0, which is no longer current.
    if (!created) throw new VersionConflictError(this.declaration.label, next.id, undefined);
    return next;
  }
}

/** `photos/<storeId>/<repairOrderId>/<photoId>`: the store from the session, never from the request. */
function photoKey(bucket: TenantBucket, repairOrderId: string, photoId: string) {
  return bucket.key('photos', repairOrderId, photoId);
}

/** The stored object's SHA-256 and size, streamed; undefined when there is none. */
async function readHash(
  bucket: TenantBucket,
  target: ReturnType<TenantBucket['key']>,
): Promise<(PhotoObject & { sha256: string }) | undefined> {
  const out = await bucket.open(target);
  if (!out?.Body) return undefined;
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { contentType: out.ContentType, bytes, sha256: hash.digest('hex'), versionId: out.VersionId };
}

async function hashObject(
  bucket: TenantBucket,
  repairOrderId: string,
  photoId: string,
): Promise<PhotoObject> {
  const object = await readHash(bucket, photoKey(bucket, repairOrderId, photoId));
  if (!object)
    throw new ConflictError(409, 'PHOTO_NOT_UPLOADED', `Photo ${photoId} has not been uploaded (yet).`, {
      photoId,
    });
  return object;
}
