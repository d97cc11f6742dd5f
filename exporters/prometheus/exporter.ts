import type { Batch, ConsumingInstance, ExporterContext, TimerHandle } from '../../src/api';
import { parseDuration } from '../../src/api';
import { addedLabels } from '../../src/prometheus/exposed-labels';
import { renderExposition } from '../../src/prometheus/exposition';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, wantsOpenMetrics } from '../../src/prometheus/negotiation';
import { LatestValues } from '../../src/prometheus/latest-values';
import { MetricsServer, type Exposition } from '../../src/prometheus/metrics-server';
import { SeriesMetaCache } from '../../src/prometheus/series-meta';
import type { PrometheusExporterConfig } from './config';

/** Holds the latest value of every series and serves them to scrapers at `/metrics`. */
export class PrometheusExporter implements ConsumingInstance {
  private readonly values: LatestValues;
  private readonly metas: SeriesMetaCache;
  private readonly expirationMs: number;
  private readonly server: MetricsServer;
  private sweepTimer: TimerHandle | undefined;

  constructor(private readonly ctx: ExporterContext<PrometheusExporterConfig>) {
    const c = ctx.config;
    this.expirationMs = parseDuration(c.metric_expiration);
    this.values = new LatestValues(ctx.series);
    this.metas = new SeriesMetaCache(ctx.series, {
      namespace: c.namespace,
      constLabels: addedLabels(c.const_labels),
      addMetricSuffixes: c.add_metric_suffixes,
    });
    this.server = new MetricsServer('/metrics', (accept) => this.expose(accept), (err) =>
      ctx.logger.error('prometheus exporter: serving a scrape failed', { error: err.message }),
    );
  }

  async start(): Promise<void> {
    await this.server.listen(this.ctx.config.endpoint);
    // Expiry also runs on every scrape; the timer only bounds memory when nobody scrapes.
    const every = Math.max(1000, Math.min(this.expirationMs, 60_000));
    this.sweepTimer = this.ctx.clock.setInterval(() => this.expire(), every);
    this.sweepTimer.unref();
  }

  address(): string {
    return this.server.address();
  }

  async consume(batch: Batch): Promise<void> {
    if (batch.signal !== 'metrics') return;
    const unknown = this.values.apply(batch, this.ctx.clock.now());
    if (unknown > 0) this.ctx.telemetry.dropped(unknown, 'unknown_series', batch);
  }

  /** The exposition a scraper with this `Accept` header gets now (also used by tests). */
  expose(accept: string | undefined): Exposition {
    this.expire();
    const openMetrics = this.ctx.config.enable_open_metrics && wantsOpenMetrics(accept);
    const body = renderExposition(this.values, this.metas, { openMetrics, sendTimestamps: this.ctx.config.send_timestamps });
    return { body, contentType: openMetrics ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE };
  }

  async shutdown(): Promise<void> {
    if (this.sweepTimer) this.ctx.clock.clear(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.server.close();
    this.values.close();
  }

  private expire(): void {
    this.values.expire(this.ctx.clock.now() - this.expirationMs);
  }
}
