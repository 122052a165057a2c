import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type QueuedPhoto, UploadQueue, type UploadSteps } from './upload-queue.ts';

/** The network steps as the tablet meets them: S3 or the API failing a few times, then answering. */
function flakySteps(uploadFailures: number, sealFailures: number) {
  const calls = { upload: 0, seal: 0, sealed: [] as string[] };
  const steps: UploadSteps = {
    async upload(photo) {
      calls.upload++;
      if (calls.upload <= uploadFailures) throw new Error('network down');
      return `pho_${photo.file.name}`;
    },
    async seal(_photo, photoId) {
      calls.seal++;
      if (calls.seal <= sealFailures) throw new Error('server busy');
      calls.sealed.push(photoId);
    },
  };
  return { steps, calls };
}

const photo = (name: string) => new File([new Uint8Array([0xff, 0xd8])], name, { type: 'image/jpeg' });

describe('the background photo queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('uploads and seals every photo in turn, retrying failures without uploading twice', async () => {
    // Prepare
    const { steps, calls } = flakySteps(1, 1);
    const states: (readonly QueuedPhoto[])[] = [];
    let sealedCount = 0;
    const queue = new UploadQueue(
      steps,
      (items) => states.push(items),
      () => sealedCount++,
    );
    // Act
    queue.add(photo('a'));
    queue.add(photo('b'), { section: 2, item: 1 });
    await vi.runAllTimersAsync();
    // Assess
    expect(calls.sealed).toEqual(['pho_a', 'pho_b']);
    expect(calls.upload).toBe(3);
    expect(sealedCount).toBe(2);
    expect(states.at(-1)).toEqual([]);
  });

  it('gives up after a few failures and starts again when the user retries', async () => {
    // Prepare
    const { steps, calls } = flakySteps(4, 0);
    let last: readonly QueuedPhoto[] = [];
    const queue = new UploadQueue(
      steps,
      (items) => (last = items),
      () => {},
    );
    queue.add(photo('a'));
    await vi.runAllTimersAsync();
    const afterFailures = last.map((p) => p.state);
    // Act
    queue.retry(last[0]!.key);
    await vi.runAllTimersAsync();
    // Assess
    expect(afterFailures).toEqual(['gave_up']);
    expect(calls.sealed).toEqual(['pho_a']);
    expect(last).toEqual([]);
  });
});
