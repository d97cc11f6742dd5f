import type { ReceiverContext, ReceiverInstance } from '../../src/api';
import { parseDuration, parseSize } from '../../src/api';
import type { PrometheusReceiverConfig, ScrapeConfig } from './config';
import { ScrapeTarget, type TargetSettings } from './target';

/** Scrapes Prometheus endpoints (text 0.0.4 / OpenMetrics) on a schedule, like a Prometheus sidecar. */
export class PrometheusReceiver implements ReceiverInstance {
  readonly targets: ScrapeTarget[];

  constructor(ctx: ReceiverContext<PrometheusReceiverConfig>) {
    this.targets = ctx.config.scrape_configs.flatMap((sc) => targetSettings(sc)).map((s) => new ScrapeTarget(ctx, s));
  }

  start(): void {
    for (const t of this.targets) t.start();
  }

  /** Scrapes every target once, now (tests and the `flush` command). */
  async scrapeNow(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.scrape()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.stop()));
  }
}

/** Expands one scrape config into per-target settings, applying defaults defensively. */
export function targetSettings(sc: ScrapeConfig): TargetSettings[] {
  const intervalMs = parseDuration(sc.scrape_interval ?? '1m');
  const timeoutMs = Math.min(parseDuration(sc.scrape_timeout ?? '10s'), intervalMs);
  const path = sc.metrics_path ?? '/metrics';
  const bodyLimit = parseSize(sc.body_size_limit ?? '50MiB');
  const out: TargetSettings[] = [];
  for (const st of sc.static_configs ?? []) {
    for (const address of st.targets) {
      out.push({
        job: sc.job_name, address, url: `http://${address}${path.startsWith('/') ? path : `/${path}`}`,
        intervalMs, timeoutMs, bodyLimit, honorLabels: sc.honor_labels ?? false, staticLabels: st.labels ?? {},
      });
    }
  }
  return out;
}
