import { createHash } from 'node:crypto';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ServiceFunction } from './functions.ts';
import { nagFindingValue } from './nag.ts';

/** Where the API's presigned URLs put files: the key layout is `uploads/<storeId>/<uploadId>.csv`. */
export const UPLOAD_PREFIX = 'uploads/';
/** Repair-order photos, `photos/<storeId>/<repairOrderId>/<photoId>`: evidence, never expired. */
export const PHOTO_PREFIX = 'photos/';

/**
 * The bucket's name, fixed from the stack's name, account and region rather than generated: the web
 * app's Content-Security-Policy must name the bucket's host, and a reference to the bucket there would
 * make a cycle (CSP → bucket → CORS origin → distribution → CSP). At most 8+1+8+1+12+1+14 characters.
 */
export function uploadsBucketName(scope: Construct): string {
  const stackHash = createHash('sha256').update(Stack.of(scope).stackName).digest('hex').slice(0, 8);
  return `uploads-${stackHash}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** `https://<bucket>.s3.<region>.<suffix>`: the origin the API's presigned URLs point at. */
export function uploadsOrigin(scope: Construct): string {
  return `https://${uploadsBucketName(scope)}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`;
}

export interface UploadsProps {
  /** Signs upload URLs (PutObject), reads and deletes imported files through the uploads role; gets `UPLOAD_BUCKET` and `UPLOADS_ROLE_ARN`. */
  /** The API functions that presign and read uploads (each assumes the uploads role per store). */
  readonly apis: readonly ServiceFunction[];
  /** Destination of the bucket's server access logs (the web construct's log bucket). */
  readonly logBucket: s3.IBucket;
  /** The web app's origin: the only one CORS admits. */
  readonly webOrigin: string;
}

/**
 * The bucket browsers upload import files and walk-around photos to with presigned URLs (API Gateway →
 * Lambda takes at most 6 MB per request, so files never pass through the API).
 *
 * - Private: all public access blocked, TLS only, S3-managed encryption, server access logs.
 * - Import files are transient: `uploads/` expires after a day (an import deletes its file once its
 *   rows are stored), and incomplete multipart uploads are aborted after a day.
 * - Photos (`photos/`) are kept: each is sealed with its SHA-256 on its repair order for warranty and
 *   三包 disputes. The bucket is versioned, so a photo replaced after its seal leaves the original as a
 *   noncurrent version (evidence of the replacement); the bucket is retained when the stack goes.
 * - CORS admits the browser's PUT (and POST) from the web app's origin only.
 * - Its name is `uploadsBucketName` (the web app's CSP names it).
 * - Only `UploadsAccessRole` may PutObject (what the API signs), GetObject and DeleteObject under
 *   `uploads/`, and PutObject and GetObject under `photos/` (never a delete); the API assumes it per
 *   store with a session policy for that store's prefixes only.
 */
export class Uploads extends Construct {
  readonly bucket: s3.Bucket;
  /** The role the API assumes per store to presign, read and delete that store's uploads. */
  readonly accessRole: iam.Role;

  constructor(scope: Construct, id: string, props: UploadsProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: uploadsBucketName(this),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 's3/uploads/',
      versioned: true,
      lifecycleRules: [
        // Only `uploads/`: photos under `photos/` never expire. Versioning keeps a deleted upload as a
        // noncurrent version; that goes a day later too.
        {
          id: 'expire-uploads',
          prefix: UPLOAD_PREFIX,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Photos are evidence in warranty and 三包 disputes: they outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedOrigins: [props.webOrigin],
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.POST],
          allowedHeaders: ['content-type'],
          maxAge: 3000,
        },
      ],
    });

    // The API's own role cannot touch the bucket: it assumes the uploads role for one store at a time
    // with a session policy narrowed to `uploads/<storeId>/*` (`uploadsSessionPolicy` in
    // @aftersales/data), and presigns with that session. A URL signed for one store cannot PUT into
    // another's prefix, whatever the code does: IAM refuses it.
    const [first, ...others] = props.apis;
    if (!first) throw new Error('Uploads needs the API functions that use them');
    const principal = (fn: ServiceFunction) =>
      new iam.ArnPrincipal(fn.executionRole.roleArn).withSessionTags();
    this.accessRole = new iam.Role(this, 'UploadsAccessRole', {
      description: 'Assumed by the API per store, with a session policy narrowing it to uploads/<storeId>/*',
      assumedBy: new iam.CompositePrincipal(principal(first), ...others.map(principal)),
    });
    for (const fn of props.apis) {
      this.accessRole.grant(fn.executionRole, 'sts:AssumeRole', 'sts:TagSession');
      fn.addEnvironment('UPLOAD_BUCKET', this.bucket.bucketName);
      fn.addEnvironment('UPLOADS_ROLE_ARN', this.accessRole.roleArn);
    }
    const uploads = this.bucket.arnForObjects(`${UPLOAD_PREFIX}*`);
    const photos = this.bucket.arnForObjects(`${PHOTO_PREFIX}*`);
    this.accessRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ImportUploads',
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        resources: [uploads],
      }),
    );
    // Photos are put and read, never deleted by the API: a sealed photo is evidence.
    this.accessRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WalkAroundPhotos',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [photos],
      }),
    );
    // Without ListBucket, S3 answers a GET of a missing key with 403 AccessDenied instead of 404
    // NoSuchKey, and an unknown or expired upload id would be a 500 instead of UPLOAD_NOT_FOUND.
    this.accessRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ImportUploadsMissingIs404',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${UPLOAD_PREFIX}*`, `${PHOTO_PREFIX}*`] } },
      }),
    );
    Validations.of(this.accessRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagFindingValue(this, uploads)}]`,
      reason:
        'Object keys are uploads/<storeId>/<uploadId>.csv with ids made per request, so no fixed ARN can name ' +
        'them; the role allows three object actions under the uploads/ prefix of this one bucket, and every ' +
        'session of it is narrowed to one store’s prefix by its session policy.',
    });
    Validations.of(this.accessRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagFindingValue(this, photos)}]`,
      reason:
        'Photo keys are photos/<storeId>/<repairOrderId>/<photoId> with ids made per request, so no fixed ARN ' +
        'can name them; the role allows put and get under the photos/ prefix of this one bucket, and every ' +
        'session of it is narrowed to one store’s prefix by its session policy.',
    });
  }
}
