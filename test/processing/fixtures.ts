import { MetricBatchBuilder, MetricKind, labelsFromRecord } from '../../src/api';
import type { MetricBatch, SeriesTable, TelemetryEvent } from '../../src/api';

/** Shared fixtures of the processor, connector and processing tests. */
export interface Row {
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly ts: number;
  readonly value: number;
  readonly kind?: MetricKind;
}

export function metricBatch(series: SeriesTable, rows: readonly Row[]): MetricBatch {
  const b = new MetricBatchBuilder(Math.max(1, rows.length));
  for (const r of rows) b.push(series.intern(r.name, labelsFromRecord(r.labels ?? {}), r.kind ?? MetricKind.GAUGE), r.ts, r.value);
  return b.build();
}

/** `name{labels}` of each row, for readable assertions. */
export function describeRows(series: SeriesTable, batch: MetricBatch): string[] {
  const out: string[] = [];
  for (let i = 0; i < batch.length; i++) {
    const info = series.info(batch.series[i]!);
    const labels: string[] = [];
    for (let j = 0; j < info.labels.length; j += 2) labels.push(`${info.labels[j]}=${info.labels[j + 1]}`);
    out.push(`${info.name}{${labels.join(',')}} ${batch.values[i]}`);
  }
  return out;
}

export function event(partial: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    epoch: 1,
    requestId: 'req-1',
    topic: 'telemetry.seed.health',
    eventType: 'health',
    severityNumber: 9,
    severityText: 'INFO',
    timestampMs: 0,
    attributes: {},
    body: null,
    ...partial,
  };
}

/** Heap used after full collections (mocha runs with --expose-gc). */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap plus ArrayBuffer memory after full collections: structures held in typed arrays (outside
 * the JS heap) are measured too.
 */
export function memoryAfterGc(): number {
  const heap = heapAfterGc();
  return heap + process.memoryUsage().arrayBuffers;
}
