import * as fs from 'node:fs';
import type { Logger } from '../api/logger';
import { RetryableError } from '../api/errors';
import type { Batch } from '../model/batch';
import { batchSize } from '../model/batch';
import type { SeriesTable } from '../model/series-table';
import { seriesTable } from '../model/series-table';
import type { QueuedBatch, SendingQueue } from '../runtime/batch-queue';
import { decodeBatch, encodeBatch, encodedItemCount } from './batch-codec';
import { lockDirectory } from './directory-lock';
import { GroupCommitter } from './group-commit';
import { frame, frameIntact, FRAME_HEADER } from './segment-format';
import { SegmentLog, type RecordRef, type RecoveryReport } from './segment-log';
import { ProtoWriter } from '../wire/proto-writer';

/** Read errors that say "not now" rather than "this record is gone". */
const TRANSIENT_READ_ERRORS = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ENOMEM', 'EINTR']);
/** An I/O error may pass (a network filesystem) or not (a bad sector): tried this many times. */
const EIO_ATTEMPTS = 5;
const READ_RETRY_MS = 100;
const READ_RETRY_MAX_MS = 5000;

/** Whether a failed read (the `attempt`th) is worth trying again. Node reports memory it cannot get as a RangeError. */
function passingReadError(err: unknown, attempt: number): boolean {
  if (err instanceof RangeError) return true;
  const code = (err as NodeJS.ErrnoException).code;
  return code !== undefined && (TRANSIENT_READ_ERRORS.has(code) || (code === 'EIO' && attempt < EIO_ATTEMPTS));
}

export interface DiskQueueOptions {
  readonly directory: string;
  /** In batches or items, per `sizer`. */
  readonly capacity: number;
  readonly sizer?: 'batches' | 'items';
  /** `batch`: sync as soon as possible; `group`: wait `groupCommitIntervalMs` to share the sync. */
  readonly fsync?: 'batch' | 'group';
  readonly groupCommitIntervalMs?: number;
  readonly series?: SeriesTable;
  readonly logger?: Logger;
  /** Segment files roll over past this size. */
  readonly segmentBytes?: number;
  /** Items of batches kept in memory next to their disk copy, so a take need not read and decode. */
  readonly maxCachedItems?: number;
  /** Called with the number of records found corrupt or torn (on open, or when read back). */
  readonly onCorrupt?: (records: number) => void;
  /** Called with the items of each batch an earlier run left queued, as this run takes it to send or drop. */
  readonly onRestored?: (items: number) => void;
}

interface Entry {
  readonly ref: RecordRef;
  readonly units: number;
  batch: Batch | undefined;
  /** Left by an earlier run (found on open). */
  readonly restored?: boolean;
}

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT']);

/**
 * A durable sending queue: a batch offered is appended to a segment log and `offer` resolves
 * true only once it is synced; it leaves the disk only when the exporter acknowledges it with
 * `done()`, so what was being sent when the process died is sent again on restart. A full disk
 * is a refusal (offer resolves false), never a crash. See docs/delivery.md, "Disk queue".
 */
export class DiskQueue implements SendingQueue {
  readonly capacity: number;
  /** What the last open found (and skipped). */
  recovery: RecoveryReport | undefined;
  /** Records skipped because they did not decode or their checksum failed, since open. */
  corruptRecords = 0;
  private readonly log: SegmentLog;
  private readonly committer: GroupCommitter;
  private readonly series: SeriesTable;
  private readonly writer = new ProtoWriter(64 * 1024);
  private pending: Entry[] = [];
  private head = 0;
  private pendingUnits = 0;
  private writingUnits = 0;
  private inflight = 0;
  private cachedItems = 0;
  private waiters: ((entry: Entry | undefined) => void)[] = [];
  private opening: Promise<void> | undefined;
  private opened = false;
  /** Files closed for good (clean drain or persist); nothing reopens them. */
  private released = false;
  private unlock: (() => void) | undefined;
  private closed = false;
  private stopped = false;
  private diskFull = false;
  private lastOpenError = '';

  constructor(private readonly opts: DiskQueueOptions) {
    this.capacity = opts.capacity;
    this.series = opts.series ?? seriesTable;
    this.log = new SegmentLog(opts.directory, opts.segmentBytes ?? 32 * 1024 * 1024);
    this.committer = new GroupCommitter(this.log, opts.fsync === 'group' ? (opts.groupCommitIntervalMs ?? 5) : 0);
  }

  get size(): number {
    return this.pendingUnits + this.writingUnits;
  }

  async offer(batch: Batch): Promise<boolean> {
    if (this.closed) return false;
    await this.open();
    const units = this.opts.sizer === 'items' ? batchSize(batch) : 1;
    // An empty queue takes any batch, so one larger than the capacity cannot block forever.
    if (this.closed || (this.size > 0 && this.size + units > this.capacity)) return false;
    this.writingUnits += units;
    const outcome = await this.committer.append(frame(encodeBatch(batch, this.series, this.writer)));
    this.writingUnits -= units;
    try {
      return outcome.ok ? this.accepted(batch, units, outcome.ref) : this.refuse(outcome.error);
    } finally {
      this.settle();
    }
  }

  private accepted(batch: Batch, units: number, ref: RecordRef): true {
    if (this.diskFull) {
      this.diskFull = false;
      this.opts.logger?.info('disk queue accepts batches again', { directory: this.opts.directory });
    }
    const entry: Entry = { ref, units, batch: undefined };
    const items = batchSize(batch);
    if (this.cachedItems + items <= (this.opts.maxCachedItems ?? 200_000)) {
      entry.batch = batch;
      this.cachedItems += items;
    }
    this.enqueue(entry);
    return true;
  }

  dropOldest(): Batch | undefined {
    for (let entry = this.shift(); entry; entry = this.shift()) {
      const batch = entry.batch ?? this.decode(() => entry.ref.segment.readFrameSync(entry.ref.offset, entry.ref.length));
      this.acknowledge(entry);
      if (batch) return this.noteRestored(entry, batch);
    }
    return undefined;
  }

  async take(): Promise<QueuedBatch | undefined> {
    for (;;) {
      if (this.stopped || this.released) return undefined;
      if (!this.opened) {
        try {
          await this.open();
        } catch {
          await new Promise((r) => setTimeout(r, 1000).unref());
          continue;
        }
      }
      const entry = this.shift() ?? (this.drained() ? undefined : await new Promise<Entry | undefined>((r) => this.waiters.push(r)));
      if (!entry) return undefined;
      const batch = entry.batch ?? (await this.read(entry));
      // Persisted while a read waited out an error: the entry stays on disk for the next start.
      if (this.stopped) return undefined;
      if (!batch) {
        this.acknowledge(entry);
        continue;
      }
      this.noteRestored(entry, batch);
      let acked = false;
      return { batch, done: () => (acked ? undefined : ((acked = true), this.acknowledge(entry))) };
    }
  }

  /** Counted when read back rather than on open: counting on open would read every record's header then. */
  private noteRestored(entry: Entry, batch: Batch): Batch {
    if (entry.restored) this.opts.onRestored?.(batchSize(batch));
    return batch;
  }

  close(): void {
    this.closed = true;
    this.settle();
  }

  /** Stops handing out batches and closes the files; everything not acknowledged stays on disk for the next start. */
  async persist(): Promise<void> {
    this.closed = true;
    this.stopped = true;
    await this.committer.idle();
    for (const w of this.waiters.splice(0)) w(undefined);
    const left = this.pendingUnits + this.inflight;
    if (this.opened) this.release(false);
    this.opts.logger?.info('disk queue persisted for the next start', { directory: this.opts.directory, left });
  }

  /** Opens the directory once: lock, recovery. Failures are refusals, retried on the next call. */
  private open(): Promise<void> {
    if (this.released) return Promise.reject(new RetryableError(`disk queue ${this.opts.directory} is closed`));
    // Every caller awaits the same promise, so concurrent offers keep their call order.
    this.opening ??= Promise.resolve().then(() => this.recover()).catch((err: unknown) => {
      this.opening = undefined;
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.lastOpenError) this.opts.logger?.error('disk queue cannot be opened', { directory: this.opts.directory, error: message });
      this.lastOpenError = message;
      throw new RetryableError(`disk queue ${this.opts.directory} cannot be opened: ${message}`, { retryAfterMs: 1000 });
    });
    return this.opening;
  }

  private recover(): void {
    fs.mkdirSync(this.opts.directory, { recursive: true });
    this.unlock = lockDirectory(this.opts.directory);
    try {
      const { records, report } = this.log.recover();
      for (const ref of records) {
        const units = this.opts.sizer === 'items' ? this.storedItems(ref) : 1;
        this.pending.push({ ref, units, batch: undefined, restored: true });
        this.pendingUnits += units;
      }
      this.recovery = report;
      const skipped = report.corruptRecords + report.tornTails;
      if (skipped > 0) {
        this.opts.onCorrupt?.(skipped);
        this.opts.logger?.warn('disk queue skipped corrupt or torn records', { directory: this.opts.directory, ...report });
      } else if (report.records > 0) this.opts.logger?.info('disk queue resumes', { directory: this.opts.directory, ...report });
    } catch (err) {
      this.unlock();
      throw err;
    }
    this.opened = true;
  }

  private storedItems(ref: RecordRef): number {
    const bytes = ref.segment.readFrameSync(ref.offset, Math.min(ref.length, 16));
    try {
      return encodedItemCountOf(bytes);
    } catch {
      return 1;
    }
  }

  private refuse(error: unknown): boolean {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code && DISK_FULL.has(code)) {
      if (!this.diskFull) this.opts.logger?.warn('disk full: the disk queue refuses batches until space returns', { directory: this.opts.directory, code });
      this.diskFull = true;
      return false;
    }
    throw new RetryableError(`disk queue ${this.opts.directory} cannot write: ${error instanceof Error ? error.message : String(error)}`, { retryAfterMs: 1000 });
  }

  private enqueue(entry: Entry): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.inflight++;
      this.uncache(entry);
      waiter(entry);
      return;
    }
    this.pending.push(entry);
    this.pendingUnits += entry.units;
  }

  private shift(): Entry | undefined {
    if (this.head >= this.pending.length) return undefined;
    const entry = this.pending[this.head]!;
    this.pending[this.head++] = undefined as unknown as Entry;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    this.pendingUnits -= entry.units;
    this.inflight++;
    this.uncache(entry);
    return entry;
  }

  /** A handed-out entry leaves the cache budget (it keeps its batch until acknowledged). */
  private uncache(entry: Entry): void {
    if (entry.batch) this.cachedItems -= batchSize(entry.batch);
  }

  /**
   * Reads a record back. A read error that passes (no file descriptor or memory free, a busy
   * device) is waited out, with backoff, while the queue runs: skipping the record would lose
   * acknowledged data. An I/O error is tried a few times. Anything else means the record cannot
   * be read: counted as corrupt.
   */
  private async read(entry: Entry): Promise<Batch | undefined> {
    let frameBytes: Buffer | undefined;
    for (let attempt = 1, delay = READ_RETRY_MS; frameBytes === undefined; attempt++, delay = Math.min(delay * 2, READ_RETRY_MAX_MS)) {
      try {
        frameBytes = await entry.ref.segment.readFrame(entry.ref.offset, entry.ref.length);
      } catch (err) {
        if (!passingReadError(err, attempt)) {
          this.opts.logger?.error('disk queue read failed; the batch is skipped', { directory: this.opts.directory, error: String(err) });
          return this.countCorrupt();
        }
        if (delay === READ_RETRY_MS) this.opts.logger?.warn('disk queue read failed for now; trying again', { directory: this.opts.directory, error: String(err) });
        await new Promise((r) => setTimeout(r, delay).unref());
        if (this.stopped) return undefined;
      }
    }
    return this.decode(() => frameBytes!);
  }

  private decode(read: () => Buffer): Batch | undefined {
    try {
      const bytes = read();
      if (!frameIntact(bytes)) return this.countCorrupt();
      return decodeBatch(bytes.subarray(FRAME_HEADER), this.series);
    } catch {
      // CorruptRecordError, or a read error: either way this record cannot be delivered.
      return this.countCorrupt();
    }
  }

  private countCorrupt(): undefined {
    this.corruptRecords++;
    this.opts.onCorrupt?.(1);
    return undefined;
  }

  private acknowledge(entry: Entry): void {
    this.inflight--;
    entry.batch = undefined;
    if (this.opened) this.log.ack(entry.ref);
    this.settle();
  }

  private drained(): boolean {
    return this.closed && this.head >= this.pending.length && !this.committer.busy;
  }

  /** After close: wakes idle takers once nothing is left, and frees the files once nothing is in flight. */
  private settle(): void {
    if (!this.closed || !this.drained()) return;
    for (const w of this.waiters.splice(0)) w(undefined);
    if (this.inflight === 0 && this.opened) this.release(true);
  }

  private release(deleteEmpty: boolean): void {
    this.opened = false;
    this.released = true;
    this.log.close(deleteEmpty);
    this.unlock?.();
    this.unlock = undefined;
  }
}

function encodedItemCountOf(frameBytes: Buffer): number {
  // Header bytes of the payload: version, signal, item count.
  return encodedItemCount(frameBytes.subarray(FRAME_HEADER));
}
