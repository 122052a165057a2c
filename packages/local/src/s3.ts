import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `@20minutes/s3rver` ships CommonJS without types: the little of it used here, typed here.
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;
interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
}

const require = createRequire(import.meta.url);

/**
 * The S3 server (`@20minutes/s3rver`: the S3 REST protocol with SigV4 checking, so a tampered, expired
 * or wrongly sized presigned upload is refused as in AWS), in this process. Objects live in a temporary
 * directory that `stop` removes. The bucket's CORS rule admits the local web origins only, as CDK's
 * admits the deployed one.
 */
export async function startS3Local(opts: {
  port: number;
  bucket: string;
  /** The web app's origins (localhost and 127.0.0.1 name the same server but are different origins). */
  webOrigins: string[];
  accessKeyId: string;
  secretAccessKey: string;
}): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const S3rver = require('@20minutes/s3rver') as S3rverClass;
  // It signs with its own fixed key pair; accept the one the local stack gives every SDK client.
  const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account') as {
    DUMMY_ACCOUNT: S3rverAccount;
  };
  DUMMY_ACCOUNT.createKeyPair(opts.accessKeyId, opts.secretAccessKey);
  const directory = await mkdtemp(join(tmpdir(), 'aftersales-s3-'));
  const cors = `<CORSConfiguration><CORSRule>
    ${opts.webOrigins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('')}
    <AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule></CORSConfiguration>`;
  const server = new S3rver({
    address: '127.0.0.1',
    port: opts.port,
    silent: true,
    directory,
    configureBuckets: [{ name: opts.bucket, configs: [cors] }],
  });
  try {
    await server.run();
  } catch (e) {
    await rm(directory, { recursive: true, force: true });
    throw e;
  }
  return {
    endpoint: `http://127.0.0.1:${opts.port}`,
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
