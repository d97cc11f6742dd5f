import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { parseEndpoint } from '../api/endpoint';
import type { StageStats, StatsRegistry } from './stage-stats';

export interface Readiness {
  readonly ready: boolean;
  readonly reason: string;
}

const KIND_ATTR = { receiver: 'receiver', processor: 'processor', exporter: 'exporter', connector: 'connector' } as const;

/**
 * Nissa's own metrics, through the OpenTelemetry SDK and served in the Prometheus format by
 * `@opentelemetry/exporter-prometheus`, with `/healthz` and `/readyz` on the same endpoint.
 * Stage counters are plain numbers read at collection time by observable instruments, so the
 * hot path pays nothing for telemetry. Every name is listed in docs/telemetry.md.
 */
export class SelfTelemetry {
  readonly meter: Meter;
  private readonly provider: MeterProvider;
  private readonly exporter: PrometheusExporter;
  private server: Server | undefined;

  constructor(
    private readonly stats: StatsRegistry,
    private readonly readiness: () => Readiness,
    private readonly mode: () => number,
  ) {
    this.exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
    this.provider = new MeterProvider({ readers: [this.exporter] });
    this.meter = this.provider.getMeter('nissa');
    this.register();
  }

  /** Serves `/metrics`, `/healthz` and `/readyz` on `endpoint` (`host:port`, port 0 = ephemeral). */
  async listen(endpoint: string): Promise<void> {
    const { host, port } = parseEndpoint(endpoint);
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/metrics') return this.exporter.getMetricsRequestHandler(req, res);
      if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"alive"}');
        return;
      }
      if (path === '/readyz') {
        const r = this.readiness();
        res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: r.ready ? 'ready' : 'not_ready', reason: r.reason }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
  }

  address(): string | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    return a ? `${a.address}:${a.port}` : undefined;
  }

  async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.provider.shutdown().catch(() => undefined);
  }

  private register(): void {
    const m = this.meter;
    const each = (fn: (s: StageStats, attrs: Record<string, string>) => void) => () => {
      for (const s of this.stats.stages) {
        const attrs: Record<string, string> = { [KIND_ATTR[s.kind]]: s.component };
        if (s.pipeline) attrs['pipeline'] = s.pipeline;
        fn(s, attrs);
      }
    };
    for (const kind of ['receiver', 'processor', 'exporter', 'connector'] as const) {
      const ofKind = (fn: (s: StageStats, attrs: Record<string, string>) => void) => each((s, a) => s.kind === kind && fn(s, a));
      m.createObservableCounter(`nissa_${kind}_accepted_items`, { description: `Items the ${kind} accepted (for receivers: accepted by every pipeline they feed).` })
        .addCallback((r) => ofKind((s, a) => r.observe(s.accepted, a))());
      m.createObservableCounter(`nissa_${kind}_refused_items`, { description: `Items the ${kind} refused (back-pressure, open breaker, full queue, bad data).` })
        .addCallback((r) => ofKind((s, a) => r.observe(s.refused, a))());
      m.createObservableCounter(`nissa_${kind}_dropped_items`, { description: `Items the ${kind} dropped on purpose, by reason.` })
        .addCallback((r) => ofKind((s, a) => { for (const [reason, n] of s.dropped) r.observe(n, { ...a, reason }); })());
    }
    m.createObservableCounter('nissa_exporter_sent_items', { description: 'Items the exporter delivered to its backend.' })
      .addCallback((r) => each((s, a) => s.kind === 'exporter' && r.observe(s.sent, a))());
    m.createObservableCounter('nissa_exporter_restored_items', { description: 'Items an earlier run left in the disk queue, counted as this run takes them to send or drop.' })
      .addCallback((r) => each((s, a) => s.kind === 'exporter' && r.observe(s.restored, a))());
    m.createObservableCounter('nissa_exporter_send_failed_items', { description: 'Items in failed send attempts (each retry counts).' })
      .addCallback((r) => each((s, a) => s.kind === 'exporter' && r.observe(s.sendFailed, a))());
    m.createObservableGauge('nissa_exporter_queue_size', { description: 'Batches waiting in the sending queue.' })
      .addCallback((r) => each((s, a) => s.kind === 'exporter' && r.observe(s.queueSize(), a))());
    m.createObservableGauge('nissa_exporter_queue_capacity', { description: 'Capacity of the sending queue, in batches.' })
      .addCallback((r) => each((s, a) => s.kind === 'exporter' && r.observe(s.queueCapacity, a))());
    m.createObservableGauge('nissa_breaker_state', { description: 'Circuit breaker state per stage: 0 closed, 1 half-open, 2 open.' })
      .addCallback((r) => each((s, a) => s.kind !== 'receiver' && r.observe(s.breakerState, a))());
    m.createObservableGauge('nissa_process_memory_bytes', { description: 'Process memory by type (rss, heap_used, heap_total, external).', unit: 'By' })
      .addCallback((r) => {
        const mem = process.memoryUsage();
        r.observe(mem.rss, { type: 'rss' });
        r.observe(mem.heapUsed, { type: 'heap_used' });
        r.observe(mem.heapTotal, { type: 'heap_total' });
        r.observe(mem.external, { type: 'external' });
      });
    m.createObservableGauge('nissa_mode', { description: 'Load-shedding mode: 0 normal, 1 conservative, 2 emergency.' })
      .addCallback((r) => r.observe(this.mode()));
  }
}
