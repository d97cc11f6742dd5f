import type { Consumer } from '../api/consumer';
import type { Batch } from '../model/batch';
import { batchSize } from '../model/batch';

/** A sink for tests: keeps every batch, can be told to refuse, and waits for item counts. */
export class CollectingConsumer implements Consumer {
  readonly batches: Batch[] = [];
  /** When set, `consume` rejects with this error instead of accepting. */
  failWith: Error | undefined;
  private waiters: { n: number; resolve: () => void }[] = [];

  get items(): number {
    let n = 0;
    for (const b of this.batches) n += batchSize(b);
    return n;
  }

  async consume(batch: Batch): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.batches.push(batch);
    const have = this.items;
    this.waiters = this.waiters.filter((w) => (w.n <= have ? (w.resolve(), false) : true));
  }

  /** Resolves once at least `n` items arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.items >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} items, have ${this.items}`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  clear(): void {
    this.batches.length = 0;
  }
}
