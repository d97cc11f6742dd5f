import type { MetricBatch, ReceiverContext, TimerHandle } from '../../src/api';
import { concatMetricColumns, filterMetricRows, isStaleMarker, labelsFromRecord } from '../../src/api';
import { fetchExposition } from '../../src/prometheus/scrape-client';
import { ScrapeState } from '../../src/prometheus/scrape-state';
import type { PrometheusReceiverConfig } from './config';

export interface TargetSettings {
  readonly job: string;
  /** `host:port` */
  readonly address: string;
  readonly url: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly bodyLimit: number;
  readonly honorLabels: boolean;
  readonly staticLabels: Readonly<Record<string, string>>;
}

/** One scraped endpoint: its timer, its scrape state, and sending what each scrape yields. */
export class ScrapeTarget {
  private readonly state: ScrapeState;
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /**
   * Stale markers of a result the pipeline refused, sent with the next one: the scrape state has
   * moved on, and the series they end would otherwise never be marked stale.
   */
  private unsentStale: MetricBatch | undefined;

  constructor(private readonly ctx: ReceiverContext<PrometheusReceiverConfig>, readonly settings: TargetSettings) {
    const labels = labelsFromRecord({ ...settings.staticLabels, job: settings.job, instance: settings.address });
    this.state = new ScrapeState(ctx.series, { labels, honorLabels: settings.honorLabels });
  }

  /** Scrapes now, then every interval. */
  start(): void {
    this.timer = this.ctx.clock.setInterval(() => void this.scrape(), this.settings.intervalMs);
    this.timer.unref();
    void this.scrape();
  }

  /**
   * One scrape; a scrape still running when the next is due is not overlapped (the due one is
   * skipped). Resolves once the result was handed to the pipeline (or dropped).
   */
  scrape(): Promise<void> {
    if (this.running || this.stopped) return this.running ?? Promise.resolve();
    if (this.ctx.host.mode() === 'emergency') return Promise.resolve();
    this.running = this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops the timer, waits for a running scrape, then marks every series stale. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.ctx.clock.clear(this.timer);
    this.timer = undefined;
    await this.running;
    await this.send(this.state.stopped(this.ctx.clock.now()));
  }

  private async run(): Promise<void> {
    const started = performance.now();
    const nowMs = this.ctx.clock.now();
    let batch: MetricBatch;
    try {
      const res = await fetchExposition({
        url: this.settings.url, timeoutMs: this.settings.timeoutMs, bodyLimit: this.settings.bodyLimit, clock: this.ctx.clock,
      });
      batch = this.state.scraped(res.body, res.openMetrics, nowMs, (performance.now() - started) / 1000);
    } catch (err) {
      this.ctx.logger.debug('prometheus receiver: scrape failed', { target: this.settings.url, error: (err as Error).message });
      batch = this.state.failed(nowMs, (performance.now() - started) / 1000);
    }
    if (!this.stopped) await this.send(batch);
  }

  private async send(result: MetricBatch): Promise<void> {
    const carried = this.unsentStale;
    this.unsentStale = undefined;
    const batch = carried ? concatMetricColumns([carried, result]) : result;
    if (batch.length === 0) return;
    try {
      await this.ctx.output.consume(batch);
    } catch (err) {
      const stale = staleRows(batch);
      if (stale.length > 0) this.unsentStale = stale;
      this.ctx.telemetry.dropped(batch.length - stale.length, 'refused');
      this.ctx.logger.warn('prometheus receiver: pipeline refused a scrape', { target: this.settings.url, points: batch.length, error: (err as Error).message });
    }
  }
}

/** The stale-marker rows of a batch. */
function staleRows(batch: MetricBatch): MetricBatch {
  const keep = new Uint8Array(batch.length);
  for (let i = 0; i < batch.length; i++) keep[i] = isStaleMarker(batch.values[i]!) ? 1 : 0;
  return filterMetricRows(batch, keep);
}
