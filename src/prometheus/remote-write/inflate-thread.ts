import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RetryableError, type Clock } from '../../api';
import type { InflateAnswer, InflateTask } from './inflate-messages';
import { malformed } from './proto-reader';
import { compressBodySync } from './snappy-body';

interface Pending {
  /** Shared with the thread until it answers; then a spare for a later block. */
  readonly block: SharedArrayBuffer;
  resolve(bytes: Buffer): void;
  reject(err: Error): void;
}

/** Block buffers kept for reuse: about one per request in flight, and 16 MiB at most in all. */
const MAX_SPARES = 8;
const MAX_SPARE_BYTES = 16 * 1024 * 1024;
/** The smallest block buffer: bodies of a few series do not each get one of their own size. */
const MIN_BLOCK_BUFFER = 64 * 1024;
/** After the thread died, blocks are refused (503) this long before a new one starts: a thread that keeps dying is not restarted per request. */
export const RESTART_DELAY_MS = 1000;
/** Inflated by {@link InflateThread.start} to prove the thread works. */
const PROBE = Buffer.from('nissa inflate thread');

/** What blocks fail with once the thread is stopped: as in the collector's shutdown (HTTP 503). */
function stopped(): RetryableError {
  return new RetryableError('snappy inflate thread stopped', { code: 'ERR_SHUTTING_DOWN' });
}

/**
 * Inflates snappy blocks on a thread of its own.
 *
 * - Not on libuv's pool, where the binding's asynchronous call runs: its allocator gave every
 *   body fresh memory from the kernel while Node's four pool threads took turns. Measured in a
 *   relay, the kernel zeroed about 2 MiB per request, half a CPU-second per 3M samples. On one
 *   thread the binding frees its working memory where it allocated it, and reuses it.
 * - Not on the event loop, which decodes and encodes: inflating there took a tenth of its time.
 *
 * {@link start} starts the thread and checks it; the thread keeps the process alive only while a
 * block is in flight. If it dies, the blocks in flight fail (HTTP 500, logged; senders retry),
 * blocks are refused with 503 for {@link RESTART_DELAY_MS}, and the next block after that starts
 * a new thread.
 */
export class InflateThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Block buffers the thread is done with, for the next blocks. */
  private readonly spares: SharedArrayBuffer[] = [];
  private closed = false;
  /** When (clock time) a new thread may start after one died. */
  private restartAt = 0;

  /** @param script the thread's entry point (tests give one that fails). */
  constructor(
    private readonly clock: Clock,
    private readonly script = join(__dirname, 'inflate-thread-main.js'),
  ) {}

  /** Starts the thread and inflates a probe block on it: a thread that cannot inflate fails the start, not every request. */
  async start(): Promise<void> {
    const probe = await this.inflate(compressBodySync(PROBE));
    if (!probe.equals(PROBE)) throw new Error('snappy inflate thread returned wrong bytes for its probe block');
  }

  /** `block` inflated; rejects with a permanent error (HTTP 400) when it is not snappy. */
  inflate(block: Uint8Array): Promise<Buffer> {
    if (this.closed) return Promise.reject(stopped());
    const wait = this.restartAt - this.clock.now();
    if (this.worker === undefined && wait > 0) {
      return Promise.reject(new RetryableError('snappy inflate thread died; restarting', { code: 'ERR_CIRCUIT_OPEN', retryAfterMs: Math.ceil(wait) }));
    }
    const worker = this.worker ?? this.startWorker();
    // A copy in shared memory, reused for a later block: the caller keeps its own (a refused
    // request is kept for its retry), and a new buffer per block cost a page fault per 4 KiB.
    const copy = this.spareBuffer(block.length);
    new Uint8Array(copy, 0, block.length).set(block);
    const task: InflateTask = { id: this.nextId++, block: copy, length: block.length };
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(task.id, { block: copy, resolve, reject });
      // A block in flight keeps the process alive (the collector's start waits for its probe); an idle thread does not.
      if (this.pending.size === 1) worker.ref();
      try {
        worker.postMessage(task);
      } catch (err) {
        this.forget(task.id);
        reject(err as Error);
      }
    });
  }

  /** Stops the thread for good; blocks in flight, and any later one, fail as the collector's shutdown does (HTTP 503). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failPending(stopped());
    if (worker !== undefined) await worker.terminate();
  }

  private startWorker(): Worker {
    const worker = new Worker(this.script);
    worker.on('message', (answer: InflateAnswer) => this.settle(answer));
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.restartAt = this.clock.now() + RESTART_DELAY_MS;
      this.failPending(new Error(`snappy inflate thread ${why}`));
      void worker.terminate();
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    // An answer that cannot be read names no block: all in flight fail, with a new thread for the next.
    worker.on('messageerror', (err) => lost(`sent an unreadable answer: ${err.message}`));
    // Idle until a block is sent; after the listeners, as adding a 'message' listener refs it again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(answer: InflateAnswer): void {
    const p = this.pending.get(answer.id);
    if (p === undefined) return;
    this.forget(answer.id);
    this.keepSpare(p.block);
    if (answer.ok) p.resolve(Buffer.from(answer.bytes));
    else if (answer.corrupt) p.reject(malformed('invalid snappy data'));
    else p.reject(new Error(`snappy inflate failed: ${answer.message}`));
  }

  /** A spare buffer of at least `n` bytes (the first that fits), else a new one with room for somewhat larger blocks. */
  private spareBuffer(n: number): SharedArrayBuffer {
    const i = this.spares.findIndex((b) => b.byteLength >= n);
    if (i < 0) return new SharedArrayBuffer(Math.max(n + (n >> 2), MIN_BLOCK_BUFFER));
    return this.spares.splice(i, 1)[0]!;
  }

  /**
   * Keeps a buffer the thread is done with. Over the limits, the smallest go first: bodies that
   * grew must find a buffer that fits. A buffer over the byte limit alone is not kept at all.
   */
  private keepSpare(b: SharedArrayBuffer): void {
    if (b.byteLength > MAX_SPARE_BYTES) return;
    this.spares.push(b);
    let bytes = 0;
    for (const spare of this.spares) bytes += spare.byteLength;
    while (this.spares.length > MAX_SPARES || bytes > MAX_SPARE_BYTES) {
      let smallest = 0;
      for (let i = 1; i < this.spares.length; i++) if (this.spares[i]!.byteLength < this.spares[smallest]!.byteLength) smallest = i;
      bytes -= this.spares[smallest]!.byteLength;
      this.spares.splice(smallest, 1);
    }
  }

  private forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private failPending(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
