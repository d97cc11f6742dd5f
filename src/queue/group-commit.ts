import type { RecordRef, SegmentLog } from './segment-log';

export type AppendOutcome = { readonly ok: true; readonly ref: RecordRef } | { readonly ok: false; readonly error: unknown };

interface Waiting {
  readonly frame: Buffer;
  readonly resolve: (outcome: AppendOutcome) => void;
}

/**
 * Serialises appends to the log and shares one fdatasync among many of them. Appends that
 * arrive while a write is running go together in the next one; with a window (`fsync: group`),
 * the first append of a group also waits `windowMs` for company, trading that much latency for
 * fewer syncs. Every outcome is reported only after the sync: success means durable.
 */
export class GroupCommitter {
  private waiting: Waiting[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly log: SegmentLog,
    private readonly windowMs: number,
  ) {}

  /** True while appends are waiting or being written. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  append(frame: Buffer): Promise<AppendOutcome> {
    return new Promise((resolve) => {
      this.waiting.push({ frame, resolve });
      this.running ??= this.run();
    });
  }

  /** Resolves once nothing is being written. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        if (this.windowMs > 0) await new Promise((r) => setTimeout(r, this.windowMs));
        const group = this.waiting;
        this.waiting = [];
        try {
          const refs = await this.log.append(group.map((w) => w.frame));
          for (let i = 0; i < group.length; i++) group[i]!.resolve({ ok: true, ref: refs[i]! });
        } catch (error) {
          for (const w of group) w.resolve({ ok: false, error });
        }
      }
    } finally {
      // Reset in the same synchronous step as the emptiness check, so no append is left behind.
      this.running = undefined;
    }
  }
}
