import type { ComplexValue } from '../../model/complex-value';
import { isStaleMarker, type MetricBatch } from '../../model/metric-batch';
import { isComplexKind, MetricKind } from '../../model/metric-kind';
import { jsonCount, jsonDouble, jsonLabelPairs, nanosString, type JsonObject } from './json-values';
import type { RowGroups } from './row-groups';
import type { MetricGroup, SeriesEncodingCache } from './series-encoding';

const NO_RECORDED_VALUE = 1;

function point(batch: MetricBatch, i: number, pairs: readonly string[]): JsonObject {
  const dp: JsonObject = { attributes: jsonLabelPairs(pairs) };
  const start = batch.startTimes?.[i];
  if (start !== undefined && start > 0) dp['startTimeUnixNano'] = nanosString(start);
  dp['timeUnixNano'] = nanosString(batch.timestamps[i]!);
  return dp;
}

function complexFields(dp: JsonObject, c: ComplexValue): void {
  dp['count'] = jsonCount(c.count);
  dp['sum'] = jsonDouble(c.sum);
  if (c.type === 'summary') {
    dp['quantileValues'] = Array.from(c.quantiles, (q, k) => ({ quantile: q, value: jsonDouble(c.values[k]!) }));
    return;
  }
  if (c.type === 'histogram') {
    dp['bucketCounts'] = Array.from(c.counts, jsonCount);
    dp['explicitBounds'] = Array.from(c.bounds);
  } else {
    dp['scale'] = c.scale;
    dp['zeroCount'] = jsonCount(c.zeroCount);
    dp['positive'] = { offset: c.positiveOffset, bucketCounts: Array.from(c.positive, jsonCount) };
    dp['negative'] = { offset: c.negativeOffset, bucketCounts: Array.from(c.negative, jsonCount) };
  }
  if (c.min !== undefined) dp['min'] = jsonDouble(c.min);
  if (c.max !== undefined) dp['max'] = jsonDouble(c.max);
}

function dataPoint(batch: MetricBatch, i: number, pairs: readonly string[], kind: MetricKind): JsonObject {
  const dp = point(batch, i, pairs);
  const v = batch.values[i]!;
  if (!isComplexKind(kind)) dp['asDouble'] = jsonDouble(v);
  else {
    const c = batch.complex?.[i];
    if (c !== undefined) complexFields(dp, c);
  }
  if (v !== v && isStaleMarker(v)) dp['flags'] = NO_RECORDED_VALUE;
  return dp;
}

function container(m: MetricGroup, dataPoints: JsonObject[]): JsonObject {
  switch (m.kind) {
    case MetricKind.GAUGE: return { gauge: { dataPoints } };
    case MetricKind.SUMMARY: return { summary: { dataPoints } };
    case MetricKind.HISTOGRAM: return { histogram: { dataPoints, aggregationTemporality: 2 } };
    case MetricKind.EXP_HISTOGRAM: return { exponentialHistogram: { dataPoints, aggregationTemporality: 2 } };
    case MetricKind.UPDOWN_COUNTER: return { sum: { dataPoints, aggregationTemporality: 2, isMonotonic: false } };
    default: return { sum: { dataPoints, aggregationTemporality: m.kind === MetricKind.DELTA_COUNTER ? 1 : 2, isMonotonic: true } };
  }
}

/**
 * OTLP/JSON `ExportMetricsServiceRequest` of grouped rows, with the same shape and rules as the
 * protobuf encoder. JSON is for backends that need it, not the hot path: it builds objects.
 */
export function metricsJson(batch: MetricBatch, rows: RowGroups, cache: SeriesEncodingCache): Buffer {
  const resourceMetrics: JsonObject[] = [];
  let current = -1;
  let metrics: JsonObject[] = [];
  for (let g = 0; g < rows.groups.length; g++) {
    const m = cache.groups[rows.groups[g]!]!;
    if (m.resource !== current) {
      current = m.resource;
      metrics = [];
      const entry = cache.resources[m.resource]!;
      resourceMetrics.push({ resource: { attributes: jsonLabelPairs(entry.pairs) }, scopeMetrics: [{ scope: entry.scopeJson, metrics }] });
    }
    const dataPoints: JsonObject[] = [];
    const start = rows.starts[g]!;
    for (let k = start; k < start + rows.counts[g]!; k++) {
      const i = rows.order[k]!;
      dataPoints.push(dataPoint(batch, i, cache.get(batch.series[i]!)!.pairs, m.kind));
    }
    const metric: JsonObject = { name: m.name };
    if (m.description !== '') metric['description'] = m.description;
    if (m.unit !== '') metric['unit'] = m.unit;
    metrics.push({ ...metric, ...container(m, dataPoints) });
  }
  return Buffer.from(JSON.stringify({ resourceMetrics }));
}
