import type { Counter } from '@opentelemetry/api';
import { PermanentError, batchSize } from '../../src/api';
import type { Batch, ConnectorContext, ConsumingInstance, MetricBatch, Signal } from '../../src/api';
import { pickRows } from '../../src/processing/batch-filter';
import { deadLetters } from '../../src/processing/dead-letter';
import { SeriesCache } from '../../src/processing/series-cache';
import type { RouteConfig } from './config';
import { alertPredicate, eventPredicate, seriesPredicate } from './predicates';
import { SignalTable } from './table';

const ROUTED_SIGNALS = ['metrics', 'events', 'alerts'] as const;

/**
 * Sends each item to the pipelines its route names. A batch whose items all take the same route
 * is passed on as is (zero copy); otherwise each target pipeline gets a filtered batch.
 * Metric routes depend only on the series, so they are resolved once per series id and cached.
 */
export class Router implements ConsumingInstance {
  private readonly tables = new Map<Signal, SignalTable>();
  private readonly seriesCombos: SeriesCache;
  private readonly seriesMatchers;
  private readonly eventMatchers;
  private readonly alertMatchers;
  private readonly routed: Counter;
  private unsubscribe: (() => void)[] = [];
  private rowCombos = new Int32Array(1024);
  private readonly rows: Uint32Array[] = [];

  constructor(private readonly ctx: ConnectorContext<RouteConfig>) {
    const cfg = ctx.config;
    for (const s of ROUTED_SIGNALS) this.tables.set(s, new SignalTable(cfg, s));
    const matchersOf = <P>(signal: Signal, make: (m: RouteConfig['table'][number]['match']) => P): P[] =>
      this.tables.get(signal)!.routes.map((i) => make(cfg.table[i]!.match));
    this.seriesMatchers = matchersOf('metrics', seriesPredicate);
    this.eventMatchers = matchersOf('events', eventPredicate);
    this.alertMatchers = matchersOf('alerts', alertPredicate);
    this.seriesCombos = new SeriesCache(ctx.series);
    this.routed = ctx.meter.createCounter('nissa_connector_route_items', { description: 'Items sent, by pipeline.' });
  }

  start(): void {
    const missing: string[] = [];
    for (const table of this.tables.values()) {
      const fed = this.ctx.output.pipelines(table.signal);
      for (const id of table.targets) if (!fed.includes(id)) missing.push(id);
    }
    if (missing.length > 0) {
      throw new PermanentError(`${this.ctx.id}: routes name pipelines that do not take from this connector: ${missing.join(', ')}`);
    }
    for (const channel of this.ctx.config.dead_letter_from) {
      this.unsubscribe.push(deadLetters.subscribe(channel, (batch) => this.consume(batch)));
    }
  }

  shutdown(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }

  consume(batch: Batch): Promise<void> {
    const table = this.tables.get(batch.signal);
    if (!table) return Promise.reject(new PermanentError(`${this.ctx.id} does not route ${batch.signal}`));
    const n = batchSize(batch);
    if (this.rowCombos.length < n) this.rowCombos = new Int32Array(Math.max(n, this.rowCombos.length * 2));
    const combos = this.rowCombos;
    const once = this.ctx.config.match_once;
    if (batch.signal === 'metrics') this.resolveMetrics(batch, table, once);
    else if (batch.signal === 'events') {
      const ms = this.eventMatchers;
      batch.items.forEach((e, i) => (combos[i] = table.resolve((p) => ms[p]!(e), once)));
    } else if (batch.signal === 'alerts') {
      const ms = this.alertMatchers;
      batch.items.forEach((a, i) => (combos[i] = table.resolve((p) => ms[p]!(a), once)));
    }
    return this.dispatch(batch, table, n);
  }

  private resolveMetrics(batch: MetricBatch, table: SignalTable, once: boolean): void {
    const { series, length } = batch;
    const combos = this.rowCombos;
    const ms = this.seriesMatchers;
    for (let i = 0; i < length; i++) {
      const id = series[i]!;
      let c = this.seriesCombos.get(id);
      if (c < 0) {
        const info = this.ctx.series.info(id);
        c = table.resolve((p) => ms[p]!(info.name, info.labels), once);
        this.seriesCombos.set(id, c);
      }
      combos[i] = c;
    }
  }

  private async dispatch(batch: Batch, table: SignalTable, n: number): Promise<void> {
    if (n === 0) return;
    const combos = this.rowCombos;
    const first = combos[0]!;
    let same = true;
    for (let i = 1; i < n && same; i++) same = combos[i] === first;
    if (same) return this.sendWhole(batch, table, first, n);
    const rows = this.scratchRows(table.targets.length, n);
    const counts = new Uint32Array(table.targets.length);
    let unrouted = 0;
    for (let i = 0; i < n; i++) {
      const targets = table.combos[combos[i]!]!;
      if (targets.length === 0) unrouted++;
      for (let k = 0; k < targets.length; k++) {
        const t = targets[k]!;
        rows[t]![counts[t]!++] = i;
      }
    }
    if (unrouted > 0) this.ctx.telemetry.dropped(unrouted, 'no_route');
    const sends: Promise<void>[] = [];
    for (let t = 0; t < table.targets.length; t++) {
      const count = counts[t]!;
      if (count > 0) sends.push(this.send(table.targets[t]!, pickRows(batch, rows[t]!, count), count));
    }
    await Promise.all(sends);
  }

  /** Per-target row lists, reused across batches: they are read before the first await. */
  private scratchRows(targets: number, n: number): Uint32Array[] {
    while (this.rows.length < targets) this.rows.push(new Uint32Array(0));
    for (let t = 0; t < targets; t++) if (this.rows[t]!.length < n) this.rows[t] = new Uint32Array(Math.max(n, this.rows[t]!.length * 2));
    return this.rows;
  }

  private async sendWhole(batch: Batch, table: SignalTable, combo: number, n: number): Promise<void> {
    const targets = table.combos[combo]!;
    if (targets.length === 0) {
      this.ctx.telemetry.dropped(n, 'no_route');
      return;
    }
    await Promise.all(targets.map((t) => this.send(table.targets[t]!, batch, n)));
  }

  private send(pipelineId: string, batch: Batch, size: number): Promise<void> {
    this.routed.add(size, { pipeline: pipelineId });
    return this.ctx.output.consumeTo(pipelineId, batch);
  }
}
