import { ConfigError } from '@aftersales/runtime';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** The top-level prefixes of the uploads bucket, each followed by the store's id. */
export const OBJECT_PREFIXES = ['uploads', 'photos'] as const;
export type ObjectPrefix = (typeof OBJECT_PREFIXES)[number];

/** A presigned request: where to send it, until when. */
export interface PresignedUrl {
  url: string;
  expiresAt: string;
}

/**
 * One store's objects in the uploads bucket (import files, repair-order photos). Every key is
 * `<prefix>/<storeId>/…`, built here from the store this object is bound to, so a capability names only
 * what follows; an id of another store names a key this store never reaches (and in AWS the session's
 * policy refuses it anyway, see `uploadsSessionPolicy`).
 */
export class TenantBucket {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string | undefined,
    readonly tenantId: string,
  ) {}

  /** The object's address: `<prefix>/<storeId>/<parts…>`. */
  key(prefix: ObjectPrefix, ...parts: string[]): { Bucket: string; Key: string } {
    if (!this.bucket) throw new ConfigError('UPLOAD_BUCKET is not configured.');
    return { Bucket: this.bucket, Key: [prefix, this.tenantId, ...parts].join('/') };
  }

  /**
   * A presigned PUT for exactly `size` bytes of `contentType`: both headers are signed, so S3 refuses
   * a body of another length or type. The caller checked the size against its limit before signing.
   */
  async presignPut(
    target: { Bucket: string; Key: string },
    opts: { contentType: string; size: number; now: Date; ttlSeconds: number },
  ): Promise<PresignedUrl> {
    const url = await getSignedUrl(
      this.s3,
      new PutObjectCommand({ ...target, ContentType: opts.contentType, ContentLength: opts.size }),
      {
        expiresIn: opts.ttlSeconds,
        signingDate: opts.now,
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
    return { url, expiresAt: expiry(opts.now, opts.ttlSeconds) };
  }

  /** A presigned GET, to show a file without passing it through the API. */
  async presignGet(
    target: { Bucket: string; Key: string },
    opts: { now: Date; ttlSeconds: number },
  ): Promise<PresignedUrl> {
    const url = await getSignedUrl(this.s3, new GetObjectCommand(target), {
      expiresIn: opts.ttlSeconds,
      signingDate: opts.now,
    });
    return { url, expiresAt: expiry(opts.now, opts.ttlSeconds) };
  }

  /** The object, unread, or undefined when there is none. */
  async open(target: { Bucket: string; Key: string }): Promise<GetObjectCommandOutput | undefined> {
    const out = await this.s3.send(new GetObjectCommand(target)).catch((err: unknown) => {
      if (err instanceof Error && err.name === 'NoSuchKey') return undefined;
      throw err;
    });
    return out?.Body ? out : undefined;
  }

  async remove(target: { Bucket: string; Key: string }): Promise<void> {
    await this.s3.send(new DeleteObjectCommand(target));
  }
}

function expiry(now: Date, ttlSeconds: number): string {
  return new Date(now.getTime() + ttlSeconds * 1000).toISOString();
}
