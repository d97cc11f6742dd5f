import { NO_LABELS, labelsFromRecord, parseDuration, type Batch, type ConsumingInstance, type ExporterContext, type MetricBatch } from '../../src/api';
import { SeriesCache, WriteRequestEncoder } from '../../src/prometheus/remote-write';
import type { RemoteWriteExporterConfig } from './config';
import { RemoteWriteSender } from './sender';
import { planShards, type ShardPlan } from './shard-plan';

/** What a batch already achieved, so a retry by the runtime skips requests that went through. */
interface Progress {
  plan: ShardPlan;
  /** Per shard, the number of leading chunks already sent (or dropped for good). */
  done: Uint32Array;
  running: Promise<void> | undefined;
}

/**
 * Prometheus remote write 1.0 exporter. `consume` splits the batch by shard (hash of the series
 * id), sends each shard's requests one after the other (order kept per series) with the shards
 * in parallel, and resolves once every request got a 2xx (or a final 4xx, counted as dropped).
 * Retryable failures reject with RetryableError; buffering and retrying are the runtime's.
 */
export class RemoteWriteExporter implements ConsumingInstance {
  private readonly cache: SeriesCache;
  private readonly encoders: WriteRequestEncoder[];
  private readonly sender: RemoteWriteSender;
  private readonly progress = new WeakMap<MetricBatch, Progress>();

  constructor(private readonly ctx: ExporterContext<RemoteWriteExporterConfig>) {
    const c = ctx.config;
    const opts = {
      externalLabels: Object.keys(c.external_labels).length > 0 ? labelsFromRecord(c.external_labels) : NO_LABELS,
      addSuffixes: c.add_metric_suffixes,
      sendMetadata: c.send_metadata,
    };
    this.cache = new SeriesCache(ctx.series, opts);
    this.encoders = Array.from({ length: c.num_shards }, () => new WriteRequestEncoder(ctx.series, opts, this.cache));
    this.sender = new RemoteWriteSender(ctx, parseDuration(c.request_timeout));
  }

  async consume(batch: Batch): Promise<void> {
    if (batch.signal !== 'metrics' || batch.length === 0) return;
    let p = this.progress.get(batch);
    // A retry while the previous attempt still runs (the runtime timed it out) waits for it,
    // so the same requests never go out twice at once and shard order holds. A loop, not an if:
    // several timed-out retries may wait on the same attempt, and only the first to wake may run;
    // two attempts advancing one shard's `done` together skip a chunk when one of them fails.
    while (p?.running) await p.running.catch(() => undefined);
    if (!p) {
      const plan = planShards(batch, this.ctx.series, this.cache, this.encoders.length, this.ctx.config.max_samples_per_send);
      if (plan.unknownSeries > 0) this.ctx.telemetry.dropped(plan.unknownSeries, 'unknown_series');
      if (plan.deltaRows > 0) this.ctx.telemetry.dropped(plan.deltaRows, 'delta_temporality');
      p = { plan, done: new Uint32Array(this.encoders.length), running: undefined };
      this.progress.set(batch, p);
    }
    // Settle every shard before answering: a retry must never run a shard whose previous loop
    // is still sending, or both advance `done` and a chunk is skipped (acknowledged data lost).
    const attempt = Promise.allSettled(this.encoders.map((_, shard) => this.sendShard(batch, p!, shard))).then((results) => {
      for (const r of results) if (r.status === 'rejected') throw r.reason;
    });
    p.running = attempt;
    try {
      await attempt;
    } finally {
      p.running = undefined;
    }
  }

  async shutdown(): Promise<void> {
    this.sender.close();
    for (const e of this.encoders) e.dispose();
    this.cache.dispose();
  }

  private async sendShard(batch: MetricBatch, p: Progress, shard: number): Promise<void> {
    const rows = p.plan.rows[shard]!;
    const chunks = p.plan.chunks[shard]!;
    const encoder = this.encoders[shard]!;
    while (p.done[shard]! < chunks.length) {
      const c = chunks[p.done[shard]!]!;
      // The encoder's buffer is reused by the next encode, and the runtime's queue consumers run
      // several batches at once through the same shard encoder: copy before the async send, or
      // another batch overwrites these bytes while they are being compressed.
      const bytes = encoder.encode(batch, rows.subarray(c.start, c.end)).slice();
      await this.sender.send(bytes, encoder.samples);
      p.done[shard]!++;
    }
  }
}
