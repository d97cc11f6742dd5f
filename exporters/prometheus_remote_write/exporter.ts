import { parseDuration, type Batch, type ConsumingInstance, type ExporterContext, type MetricBatch } from '../../src/api';
import { BatchProgress } from '../../src/export/batch-progress';
import { addedLabels } from '../../src/prometheus/exposed-labels';
import { SeriesCache, WriteRequestEncoder } from '../../src/prometheus/remote-write';
import type { RemoteWriteExporterConfig } from './config';
import { RemoteWriteSender } from './sender';
import { planShards, type ShardPlan } from './shard-plan';

/** What a batch already achieved, so a retry by the runtime skips requests that went through. */
interface Progress {
  plan: ShardPlan;
  /** Per shard, the number of leading chunks already sent (or dropped for good). */
  done: Uint32Array;
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
  private readonly progress = new BatchProgress<Progress>();

  constructor(private readonly ctx: ExporterContext<RemoteWriteExporterConfig>) {
    const c = ctx.config;
    const opts = {
      externalLabels: addedLabels(c.external_labels),
      addSuffixes: c.add_metric_suffixes,
      sendMetadata: c.send_metadata,
    };
    this.cache = new SeriesCache(ctx.series, opts);
    this.encoders = Array.from({ length: c.num_shards }, () => new WriteRequestEncoder(ctx.series, opts, this.cache));
    this.sender = new RemoteWriteSender(ctx, parseDuration(c.request_timeout));
  }

  async consume(batch: Batch): Promise<void> {
    if (batch.signal !== 'metrics' || batch.length === 0) return;
    await this.progress.run(batch, () => this.plan(batch), (p) => this.sendShards(batch, p));
  }

  async shutdown(): Promise<void> {
    this.sender.close();
    for (const e of this.encoders) e.dispose();
    this.cache.dispose();
  }

  private plan(batch: MetricBatch): Progress {
    const plan = planShards(batch, this.ctx.series, this.cache, this.encoders.length, this.ctx.config.max_samples_per_send);
    if (plan.unknownSeries > 0) this.ctx.telemetry.dropped(plan.unknownSeries, 'unknown_series', batch);
    if (plan.deltaRows > 0) this.ctx.telemetry.dropped(plan.deltaRows, 'delta_temporality', batch);
    return { plan, done: new Uint32Array(this.encoders.length) };
  }

  /**
   * Settles every shard before answering: a retry must never run a shard whose previous loop is
   * still sending, or both advance `done` and a chunk is skipped (acknowledged data lost).
   */
  private async sendShards(batch: MetricBatch, p: Progress): Promise<void> {
    const runs: Promise<void>[] = [];
    const failures: unknown[] = [];
    for (let shard = 0; shard < this.encoders.length; shard++) {
      if (p.done[shard]! >= p.plan.chunks[shard]!.length) continue;
      // Encoding is synchronous: one event-loop turn between shards lets the previous shard's body
      // leave (and the backend work on it) while the next one is encoded, instead of all at once.
      if (runs.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      // A shard already failed: the batch will be retried, the remaining shards with it.
      if (failures.length > 0) break;
      // Handled at once: a failure during a later shard's turn must not be an unhandled rejection.
      runs.push(this.sendShard(batch, p, shard).catch((err: unknown) => void failures.push(err)));
    }
    await Promise.all(runs);
    if (failures.length > 0) throw failures[0];
  }

  private async sendShard(batch: MetricBatch, p: Progress, shard: number): Promise<void> {
    const rows = p.plan.rows[shard]!;
    const chunks = p.plan.chunks[shard]!;
    const encoder = this.encoders[shard]!;
    while (p.done[shard]! < chunks.length) {
      const c = chunks[p.done[shard]!]!;
      // The runtime's queue consumers run several batches at once through the same shard encoder,
      // and the bytes must outlive this turn until compressed: take them from the encoder (no copy)
      // so that another batch's encode cannot overwrite them, and give them back once sent.
      encoder.encode(batch, rows.subarray(c.start, c.end));
      const samples = encoder.samples;
      const bytes = encoder.take();
      try {
        await this.sender.send(bytes, samples, batch);
      } finally {
        encoder.recycle(bytes);
      }
      p.done[shard]!++;
    }
  }
}
