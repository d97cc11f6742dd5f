import type Redis from 'ioredis';
import type { Clock, Logger, TimerHandle } from '../../src/api';
import { parseClaimReply, type StreamEntries } from '../../src/bus/stream-reply';
import type { GroupOps } from './group-ops';

export interface ClaimerOptions {
  readonly streams: readonly string[];
  readonly minIdleMs: number;
  readonly intervalMs: number;
  readonly count: number;
  readonly payloadField: Buffer;
}

/**
 * Every `claim_interval`: keeps this instance's held entries fresh, then takes over entries
 * pending for longer than `min_idle_time` (their consumer died, or they are poison waiting for
 * their next delivery) with XAUTOCLAIM, and hands them to `process`.
 */
export class Claimer {
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly ops: GroupOps,
    private readonly opts: ClaimerOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly held: () => Parameters<GroupOps['touch']>[0],
    private readonly process: (entries: StreamEntries[]) => Promise<void>,
  ) {}

  start(): void {
    this.timer = this.clock.setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) this.clock.clear(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const held = this.held();
      if (held.length > 0) await this.ops.touch(held);
      for (const stream of this.opts.streams) await this.claimStream(stream);
    } catch (err) {
      this.logger.warn('claiming pending entries failed; will try again', { error: (err as Error).message });
    }
  }

  private async claimStream(stream: string): Promise<void> {
    let start = '0-0';
    do {
      const reply = await this.redis.callBuffer('XAUTOCLAIM', stream, this.ops.group, this.ops.consumer, this.opts.minIdleMs, start, 'COUNT', this.opts.count);
      const { next, entries } = parseClaimReply(stream, reply, this.opts.payloadField);
      if (entries.ids.length > 0) {
        this.logger.info('claimed idle pending entries', { stream, entries: entries.ids.length });
        await this.process([entries]);
      }
      start = next;
    } while (start !== '0-0');
  }
}
