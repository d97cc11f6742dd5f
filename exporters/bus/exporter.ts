import Redis from 'ioredis';
import { parseDuration, PermanentError, RetryableError, type Batch, type ConsumingInstance, type ExporterContext } from '../../src/api';
import { isTransientRedisError, logConnectionState, redisOptions } from '../../src/bus/connection';
import { itemPayloads, type ItemBatch } from '../../src/bus/item-payloads';
import type { BusExporterConfig } from './config';

/** Wait suggested to the sending queue after a connection problem. */
const RETRY_AFTER_MS = 1000;

/**
 * Publishes events, alerts and commands to the bus: one XADD per item into the stream of its
 * topic, a whole batch in one MULTI (all entries or none). Commands fail at once while the
 * connection is down (no offline queue), as a RetryableError for the runtime's sending queue.
 */
export class BusExporter implements ConsumingInstance {
  private redis: Redis | undefined;

  constructor(private readonly ctx: ExporterContext<BusExporterConfig>) {}

  async start(): Promise<void> {
    const c = this.ctx.config;
    this.redis = new Redis(await redisOptions(c, `nissa-export-${this.ctx.id}`, false, parseDuration(c.connect_timeout)));
    logConnectionState(this.redis, this.ctx.logger, 'export');
    // Not awaited to the end: a bus that is down at start is a retryable condition, not a failed start.
    this.redis.connect().catch(() => undefined);
  }

  async consume(batch: Batch): Promise<void> {
    if (batch.signal === 'metrics') throw new PermanentError('the bus exporter publishes events, alerts and control commands, not metrics');
    if (!this.redis || this.redis.status !== 'ready') throw new RetryableError('not connected to Redis', { retryAfterMs: RETRY_AFTER_MS });
    const c = this.ctx.config;
    const payloads = itemPayloads(batch, c.format);
    const trim = c.max_len > 0 ? ['MAXLEN', '~', String(c.max_len)] : [];
    const m = this.redis.multi();
    for (let i = 0; i < payloads.length; i++) m.call('XADD', c.stream_prefix + this.topicOf(batch, i), ...trim, '*', c.payload_field, payloads[i]!);
    let results: [Error | null, unknown][] | null;
    try {
      results = await m.exec();
    } catch (err) {
      throw classify(err);
    }
    if (results === null) throw new RetryableError('the MULTI was discarded', { retryAfterMs: RETRY_AFTER_MS });
    for (const [err] of results) if (err) throw classify(err);
  }

  async shutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  private topicOf(batch: ItemBatch, i: number): string {
    const c = this.ctx.config;
    if (c.topic) return c.topic;
    switch (batch.signal) {
      case 'events': return batch.items[i]!.topic;
      case 'alerts': return c.alerts_topic;
      case 'control': return c.control_topic;
    }
  }
}

function classify(err: unknown): Error {
  const message = `XADD failed: ${(err as Error).message}`;
  return isTransientRedisError(err) ? new RetryableError(message, { retryAfterMs: RETRY_AFTER_MS }) : new PermanentError(message);
}
