import { leadingZeroBits } from '@aftersales/domain/proof-of-work';

/**
 * The proof of work the booking request carries: the first nonce (decimal) such that SHA-256 of
 * `challenge + nonce` starts with `difficulty` zero bits. Web Crypto's digest is asynchronous, so the
 * page stays responsive; hashes go in batches, with a pause for the event loop between them.
 */
const BATCH = 256;

export async function solveChallenge(challenge: string, difficulty: number): Promise<string> {
  const encoder = new TextEncoder();
  for (let start = 0; ; start += BATCH) {
    const digests = await Promise.all(
      Array.from({ length: BATCH }, (_, i) =>
        crypto.subtle.digest('SHA-256', encoder.encode(challenge + String(start + i))),
      ),
    );
    const found = digests.findIndex((d) => leadingZeroBits(new Uint8Array(d)) >= difficulty);
    if (found >= 0) return String(start + found);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
