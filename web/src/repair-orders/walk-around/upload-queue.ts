/**
 * Photos upload in the background, one at a time, so the advisor goes on with the form: each is asked
 * an upload URL, PUT to S3, then sealed. A failure is retried with a growing pause; after a few it
 * waits for the user's retry. The queue only reports states; the panel shows them.
 */
export type UploadState = 'queued' | 'uploading' | 'sealing' | 'failed' | 'gave_up' | 'sealed';

export interface QueuedPhoto {
  key: string;
  file: File;
  itemRef?: { section: number; item: number } | undefined;
  state: UploadState;
  attempts: number;
}

export interface UploadSteps {
  /** Asks for the URL (the photo's id comes with it) and PUTs the bytes; answers the photo's id. */
  upload(photo: QueuedPhoto): Promise<string>;
  seal(photo: QueuedPhoto, photoId: string): Promise<void>;
}

const MAX_ATTEMPTS = 4;
const pause = (attempt: number) => new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));

export class UploadQueue {
  private items: QueuedPhoto[] = [];
  /** Photo ids already uploaded, so a retry after a failed seal does not upload again. */
  private readonly uploaded = new Map<string, string>();
  private running = false;
  private seq = 0;

  constructor(
    private readonly steps: UploadSteps,
    private readonly onChange: (items: readonly QueuedPhoto[]) => void,
    private readonly onSealed: () => void,
  ) {}

  add(file: File, itemRef?: QueuedPhoto['itemRef']): void {
    this.items = [...this.items, { key: `p${++this.seq}`, file, itemRef, state: 'queued', attempts: 0 }];
    this.changed();
    void this.run();
  }

  retry(key: string): void {
    this.update(key, { state: 'queued', attempts: 0 });
    void this.run();
  }

  private update(key: string, patch: Partial<QueuedPhoto>): void {
    this.items = this.items.map((p) => (p.key === key ? { ...p, ...patch } : p));
    this.changed();
  }

  private changed(): void {
    // Sealed photos leave the queue: the inspection lists them with their seals.
    this.items = this.items.filter((p) => p.state !== 'sealed');
    this.onChange(this.items);
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.items.find((p) => p.state === 'queued' || p.state === 'failed');
        if (!next) return;
        await this.process(next);
      }
    } finally {
      this.running = false;
    }
  }

  private async process(photo: QueuedPhoto): Promise<void> {
    try {
      let photoId = this.uploaded.get(photo.key);
      if (!photoId) {
        this.update(photo.key, { state: 'uploading' });
        photoId = await this.steps.upload(photo);
        this.uploaded.set(photo.key, photoId);
      }
      this.update(photo.key, { state: 'sealing' });
      await this.steps.seal(photo, photoId);
      this.update(photo.key, { state: 'sealed' });
      this.onSealed();
    } catch {
      const attempts = photo.attempts + 1;
      if (attempts >= MAX_ATTEMPTS) {
        this.update(photo.key, { state: 'gave_up', attempts });
        return;
      }
      this.update(photo.key, { state: 'failed', attempts });
      await pause(attempts);
    }
  }
}
