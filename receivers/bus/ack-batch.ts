import type { EntryRefs } from './decode-read';

/** Ids acknowledged in one round trip at most (one XACK per stream, pipelined). */
export const ACK_BATCH = 4000;

/**
 * The acknowledgements of one read, gathered over its chunks: an XACK per accepted chunk would
 * cost a socket write (a system call) per chunk. They are sent once {@link ACK_BATCH} ids wait,
 * when a chunk is refused (so that accepted entries do not wait behind it), and at the end of the
 * read (`flush`).
 */
export class AckBatch {
  /** Every send so far; each resolves once its entries are acknowledged (or the XACK failed and was logged). */
  readonly sent: Promise<void>[] = [];
  private refs: EntryRefs[] = [];
  private ids = 0;
  private after: (() => void)[] = [];

  constructor(private readonly send: (refs: readonly EntryRefs[]) => Promise<void>) {}

  /** Adds entries to acknowledge; `acked` runs once their XACK is settled. */
  add(refs: readonly EntryRefs[], acked?: () => void): void {
    for (const r of refs) {
      this.refs.push(r);
      this.ids += r.index.length;
    }
    if (acked) this.after.push(acked);
    if (this.ids >= ACK_BATCH) this.flush();
  }

  flush(): void {
    if (this.refs.length === 0 && this.after.length === 0) return;
    const after = this.after;
    this.sent.push(this.send(this.refs).finally(() => {
      for (const fn of after) fn();
    }));
    this.refs = [];
    this.ids = 0;
    this.after = [];
  }
}
