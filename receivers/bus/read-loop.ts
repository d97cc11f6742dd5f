import type Redis from 'ioredis';
import type { ReceiverContext } from '../../src/api';
import { abortableSleep } from '../../src/bus/abortable-sleep';
import { parseReadReply, type StreamEntries } from '../../src/bus/stream-reply';
import type { BusReceiverConfig } from './config';
import type { GroupOps } from './group-ops';

export interface ReadLoopOptions {
  readonly streams: readonly string[];
  /** Where groups created by this loop start (`start_id`). */
  readonly startId: string;
  readonly blockMs: number;
  readonly payloadField: Buffer;
  /** Aborted at shutdown: no new read starts, retries stop waiting. */
  readonly signal: AbortSignal;
  /** Wait after the n-th consecutive failed read. */
  readonly retryDelay: (failures: number) => number;
}

const EMERGENCY_POLL_MS = 250;

/**
 * The read side: XREADGROUP with COUNT and BLOCK over every stream in one command, with up to
 * `max_in_flight` reads in the pipelines at once (the next read is sent before the current one is
 * decoded). After a lost connection, it waits for its batches to settle and then reads its own
 * pending entries (id 0): a reply lost with the connection left them pending, never delivered.
 */
export class ReadLoop {
  private readonly tasks = new Set<Promise<void>>();
  private running: Promise<void> | undefined;
  /** The groups exist (created at the first successful contact with Redis). */
  private prepared = false;
  /** Own pending entries must be read first: set at start and on every lost connection. */
  private recover = true;
  private failures = 0;

  constructor(
    private readonly ctx: ReceiverContext<BusReceiverConfig>,
    private readonly redis: Redis,
    private readonly ops: GroupOps,
    private readonly opts: ReadLoopOptions,
    private readonly process: (entries: StreamEntries[], fresh: boolean) => Promise<void>,
  ) {
    redis.on('close', () => {
      if (opts.signal.aborted || this.recover) return;
      this.recover = true; // logged by the connection's own error handler
    });
  }

  start(): void {
    this.running = this.run();
  }

  /** Resolves when no read is in progress any more (after shutdown began). */
  stopped(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Resolves when the loop stopped and every batch is settled (acknowledged or left pending). */
  async drained(): Promise<void> {
    await this.running;
    await Promise.all(this.tasks);
  }

  private async run(): Promise<void> {
    const { signal } = this.opts;
    let paused = false;
    while (!signal.aborted) {
      try {
        if (!this.prepared) await this.prepare();
        if (this.ctx.host.mode() === 'emergency') {
          if (!paused) this.ctx.logger.warn('emergency mode: reading the bus is paused');
          paused = true;
          await abortableSleep(this.ctx.clock, EMERGENCY_POLL_MS, signal);
          continue;
        }
        if (paused) this.ctx.logger.info('reading the bus resumed');
        paused = false;
        await this.slot();
        if (signal.aborted) break;
        if (this.recover) await this.recoverPending();
        const reply = await this.read(this.opts.streams, this.opts.streams.map(() => '>'), true);
        this.succeeded();
        const entries = parseReadReply(reply, this.opts.payloadField);
        if (entries.length > 0) this.track(entries, true);
      } catch (err) {
        if (signal.aborted) break;
        await this.failed(err as Error);
      }
    }
  }

  private read(streams: readonly string[], ids: readonly string[], block: boolean): Promise<unknown> {
    const c = this.ctx.config;
    const args: (string | number)[] = ['GROUP', c.group, this.ops.consumer, 'COUNT', c.count];
    if (block) args.push('BLOCK', this.opts.blockMs);
    return this.redis.callBuffer('XREADGROUP', ...args, 'STREAMS', ...streams, ...ids);
  }

  private async prepare(): Promise<void> {
    await this.ops.ensureGroups(this.opts.streams, this.opts.startId);
    this.prepared = true;
  }

  /** Waits for the batches in flight, then redelivers this consumer's pending entries. */
  private async recoverPending(): Promise<void> {
    await Promise.all(this.tasks);
    this.recover = false;
    try {
      await this.redeliverPending();
    } catch (err) {
      this.recover = true;
      throw err;
    }
  }

  private async redeliverPending(): Promise<void> {
    const last = new Map(this.opts.streams.map((s) => [s, '0']));
    let total = 0;
    while (last.size > 0 && !this.opts.signal.aborted) {
      const keys = [...last.keys()];
      const entries = parseReadReply(await this.read(keys, keys.map((k) => last.get(k)!), false), this.opts.payloadField);
      for (const k of keys) last.delete(k);
      for (const e of entries) last.set(e.stream, e.ids[e.ids.length - 1]!.toString());
      for (const e of entries) total += e.ids.length;
      if (entries.length > 0) {
        await this.slot();
        this.track(entries, false);
      }
    }
    if (total > 0) this.ctx.logger.info('redelivered own pending entries', { entries: total });
  }

  private track(entries: StreamEntries[], fresh: boolean): void {
    const task: Promise<void> = (async () => {
      await null; // the loop sends the next read before this batch is decoded
      await this.process(entries, fresh);
    })()
      .catch((err: unknown) => this.ctx.logger.error('delivering bus entries failed; they stay pending', { error: (err as Error).message }))
      .finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }

  private async slot(): Promise<void> {
    while (this.tasks.size >= this.ctx.config.max_in_flight) await Promise.race(this.tasks);
  }

  private succeeded(): void {
    if (this.failures > 0) this.ctx.logger.info('reading the bus again', { failed_reads: this.failures });
    this.failures = 0;
  }

  private async failed(err: Error): Promise<void> {
    this.failures++;
    if (this.failures === 1) this.ctx.logger.warn('reading the bus failed; retrying with backoff', { error: err.message });
    if (/NOGROUP/.test(err.message)) {
      // The stream or the group vanished (a Redis restart without persistence): create them again.
      await this.ops.ensureGroups(this.opts.streams, '0').catch(() => undefined);
    }
    await abortableSleep(this.ctx.clock, this.opts.retryDelay(this.failures), this.opts.signal);
  }
}
