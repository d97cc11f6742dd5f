import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RetryableError } from '../../api';
import type { InflateAnswer, InflateTask } from './inflate-messages';
import { malformed } from './proto-reader';

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

/**
 * Inflates snappy blocks on a thread of its own.
 *
 * - Not on libuv's pool, where the binding's asynchronous call runs: its allocator gave every
 *   body fresh memory from the kernel while Node's four pool threads took turns. Measured in a
 *   relay, the kernel zeroed about 2 MiB per request, half a CPU-second per 3M samples. One
 *   thread that allocates and frees on its own reuses the same memory.
 * - Not on the event loop, which decodes and encodes: inflating there took a tenth of its time.
 *
 * The thread starts on first use and stops with {@link close}; it never keeps the process alive.
 * If it dies, the blocks in flight fail (HTTP 500, logged; senders retry) and the next block
 * starts a new thread.
 */
export class InflateThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Block buffers the thread is done with, for the next blocks. */
  private readonly spares: SharedArrayBuffer[] = [];

  /** `block` inflated; rejects with a permanent error (HTTP 400) when it is not snappy. */
  inflate(block: Uint8Array): Promise<Buffer> {
    const worker = this.worker ?? this.startWorker();
    // A copy in shared memory, reused for a later block: the caller keeps its own (a refused
    // request is kept for its retry), and a new buffer per block cost a page fault per 4 KiB.
    const copy = this.spareBuffer(block.length);
    new Uint8Array(copy, 0, block.length).set(block);
    const task: InflateTask = { id: this.nextId++, block: copy, length: block.length };
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(task.id, { block: copy, resolve, reject });
      worker.postMessage(task);
    });
  }

  /** Stops the thread; blocks still in flight fail as the collector's shutdown does (HTTP 503). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failPending(new RetryableError('snappy inflate thread stopped', { code: 'ERR_SHUTTING_DOWN' }));
    if (worker !== undefined) await worker.terminate();
  }

  private startWorker(): Worker {
    const worker = new Worker(join(__dirname, 'inflate-thread-main.js'));
    worker.on('message', (answer: InflateAnswer) => this.settle(answer));
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failPending(new Error(`snappy inflate thread ${why}`));
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    // After the listeners: adding a 'message' listener refs the thread again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(answer: InflateAnswer): void {
    const p = this.pending.get(answer.id);
    if (p === undefined) return;
    this.pending.delete(answer.id);
    this.keepSpare(p.block);
    if (answer.ok) p.resolve(Buffer.from(answer.bytes));
    else p.reject(malformed('invalid snappy data'));
  }

  /** A spare buffer of at least `n` bytes (the first that fits), else a new one with room for somewhat larger blocks. */
  private spareBuffer(n: number): SharedArrayBuffer {
    const i = this.spares.findIndex((b) => b.byteLength >= n);
    if (i < 0) return new SharedArrayBuffer(Math.max(n + (n >> 2), MIN_BLOCK_BUFFER));
    return this.spares.splice(i, 1)[0]!;
  }

  /**
   * Keeps a buffer the thread is done with. Over the limits, the smallest go first: bodies that
   * grew must find a buffer that fits, and a burst of large bodies is not held on to.
   */
  private keepSpare(b: SharedArrayBuffer): void {
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

  private failPending(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
