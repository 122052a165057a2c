import {
  AppError,
  type ImportContentType,
  type ImportUpload,
  MAX_IMPORT_FILE_BYTES,
  NotFoundError,
  newId,
  UPLOAD_ID_PREFIX,
  UPLOAD_URL_TTL_SECONDS,
} from '@aftersales/domain';
import type { ImportFile } from '@aftersales/domain/import-file';
import type { TenantBucket } from '../platform/objects.ts';

/**
 * A store's import uploads (CSV or .xlsx) in the uploads bucket. Every key is
 * `uploads/<storeId>/<uploadId>.csv` whatever the file's type (the type is the object's signed
 * `Content-Type`; keys keep one shape so that reading needs no guess), built by the store's bucket
 * from the store it is bound to: an upload id of another store names a key this store never reads, so
 * it is simply not found. A lifecycle rule expires `uploads/` after a day.
 */
export class ImportUploads {
  constructor(private readonly bucket: TenantBucket) {}

  private key(uploadId: string) {
    return this.bucket.key('uploads', `${uploadId}.csv`);
  }

  /**
   * A presigned PUT for a file of exactly `size` bytes: Content-Length and Content-Type are signed, so
   * S3 refuses any other length or type. The size was checked against the limit before signing.
   */
  async presign(size: number, now: Date, contentType: ImportContentType = 'text/csv'): Promise<ImportUpload> {
    const uploadId = newId(UPLOAD_ID_PREFIX, now.getTime());
    const { url, expiresAt } = await this.bucket.presignPut(this.key(uploadId), {
      contentType,
      size,
      now,
      ttlSeconds: UPLOAD_URL_TTL_SECONDS,
    });
    return {
      uploadId,
      url,
      method: 'PUT',
      headers: { 'content-type': contentType },
      maxBytes: MAX_IMPORT_FILE_BYTES,
      expiresAt,
    };
  }

  /** The uploaded file and its declared type; 404 `UPLOAD_NOT_FOUND` when absent, 413 when over the limit. */
  async read(uploadId: string): Promise<ImportFile> {
    const out = await this.bucket.open(this.key(uploadId));
    if (!out?.Body) throw new NotFoundError('Upload', uploadId);
    // The signed Content-Length makes this unreachable through our URLs; it guards the parser anyway.
    if ((out.ContentLength ?? 0) > MAX_IMPORT_FILE_BYTES) {
      (out.Body as { destroy?: () => void }).destroy?.();
      throw new AppError(413, 'UPLOAD_TOO_LARGE', 'The uploaded file is larger than 8 MiB: split it.');
    }
    return { bytes: await out.Body.transformToByteArray(), contentType: out.ContentType };
  }

  /** Removes an imported file (its rows now live in the job's chunks). */
  async remove(uploadId: string): Promise<void> {
    await this.bucket.remove(this.key(uploadId));
  }
}
