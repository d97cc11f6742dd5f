import type { Batch } from '../model/batch';
import type { SeriesTable } from '../model/series-table';
import { pinSeries, unpinSeries } from '../model/series-pins';

/**
 * The in-memory sending queue of an exporter: FIFO of batches with a capacity in batches and
 * waiting consumers. Disk-backed queues implement the same interface.
 */
export interface SendingQueue {
  readonly size: number;
  readonly capacity: number;
  /** Adds a batch; false when full. */
  offer(batch: Batch): boolean | Promise<boolean>;
  /** Removes and returns the oldest batch (for `drop_oldest`). */
  dropOldest(): Batch | undefined;
  /** Waits for the next batch; resolves undefined once closed and drained. */
  take(): Promise<QueuedBatch | undefined>;
  /**
   * Takes the oldest batch if it is in memory now and `fits` accepts it; never waits. Queues
   * without it (the disk queue, whose batches may still be in writing or on disk) are not merged
   * by `sending_queue.merge_max_items`.
   */
  takeIf?(fits: (batch: Batch) => boolean): QueuedBatch | undefined;
  /** Stops new offers; `take` returns what is left, then undefined. */
  close(): void;
  /** Persists what is still queued (disk queues) before the process stops. */
  persist?(): Promise<void>;
}

/** A batch taken from a queue; `done` acknowledges it so a durable queue can forget it. */
export interface QueuedBatch {
  readonly batch: Batch;
  done(): void;
}

/**
 * Batches wait here for as long as the backend is away, longer than `series_ttl` if need be: their
 * series are pinned from offer to done (or dropOldest), or the sweep would free ids they hold.
 * (The disk queue stores labels and interns them again when it reads a batch back.)
 */
export class MemoryQueue implements SendingQueue {
  private readonly items: Batch[] = [];
  private head = 0;
  private waiters: ((item: QueuedBatch | undefined) => void)[] = [];
  private closed = false;

  constructor(readonly capacity: number, private readonly series?: SeriesTable) {}

  get size(): number {
    return this.items.length - this.head;
  }

  offer(batch: Batch): boolean {
    if (this.closed || this.size >= this.capacity) return false;
    if (this.series) pinSeries(this.series, batch);
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.queued(batch));
    else this.items.push(batch);
    return true;
  }

  dropOldest(): Batch | undefined {
    const batch = this.shift();
    if (batch && this.series) unpinSeries(this.series, batch);
    return batch;
  }

  take(): Promise<QueuedBatch | undefined> {
    const batch = this.shift();
    if (batch) return Promise.resolve(this.queued(batch));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  takeIf(fits: (batch: Batch) => boolean): QueuedBatch | undefined {
    if (this.size === 0 || !fits(this.items[this.head]!)) return undefined;
    return this.queued(this.shift()!);
  }

  close(): void {
    this.closed = true;
    if (this.size === 0) for (const w of this.waiters.splice(0)) w(undefined);
  }

  private queued(batch: Batch): QueuedBatch {
    const series = this.series;
    if (!series) return { batch, done: noop };
    let done = false;
    return { batch, done: () => (done ? undefined : ((done = true), unpinSeries(series, batch))) };
  }

  private shift(): Batch | undefined {
    if (this.head >= this.items.length) return undefined;
    const b = this.items[this.head]!;
    this.items[this.head++] = undefined as unknown as Batch;
    // Compact now and then so the array does not keep a long dead prefix.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    if (this.closed && this.size === 0) for (const w of this.waiters.splice(0)) w(undefined);
    return b;
  }
}

function noop(): void {}
