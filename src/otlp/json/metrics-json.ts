import type { ComplexValue } from '../../model/complex-value';
import { MetricBatchBuilder } from '../../model/metric-batch';
import { MetricKind } from '../../model/metric-kind';
import { labelValueOf, pushLabelPair } from '../attribute-values';
import type { MetricsDecodeResult } from '../decode-result';
import { ItemFault, RejectCounter, orItemFault } from '../item-fault';
import { sumKind } from '../metric-kind-of';
import { checkExpHistogram, checkHistogram, checkPointTime, checkSummary, FLAG_NO_RECORDED_VALUE, minMax, numberPointValue } from '../point-checks';
import { EMPTY_SCOPE, type ScopeIdentity } from '../scope-labels';
import type { SeriesResolver } from '../series-resolver';
import { TargetInfoRows } from '../target-info';
import { anyValue, asArray, asObject, asString, attributes, doubleValue, enumValue, field, int64Number, nanosToMs, OtlpJsonError, type JsonObject } from './json-fields';

/**
 * Prefix of the resource and scope cache keys of JSON requests. The protobuf decoder keys them by
 * their bytes read as latin1, whose characters are all below U+0100: this one keeps a crafted
 * protobuf resource from ever sharing a key (and so the attributes) with a JSON one.
 */
const JSON_KEY = '\u0100';

const TEMPORALITY = { AGGREGATION_TEMPORALITY_UNSPECIFIED: 0, AGGREGATION_TEMPORALITY_DELTA: 1, AGGREGATION_TEMPORALITY_CUMULATIVE: 2 };

type PointReader = (dp: JsonObject) => { value: number; complex: ComplexValue | undefined };

/**
 * Decodes an OTLP/JSON `ExportMetricsServiceRequest` (already parsed) into batch columns with the
 * same rules as the protobuf decoder. JSON is not the hot path: labels are built per point.
 * A body without the OTLP shape throws {@link OtlpJsonError}.
 */
export function decodeJsonMetrics(body: unknown, resolver: SeriesResolver, nowMs: number, maxFutureMs: number): MetricsDecodeResult {
  const b = new MetricBatchBuilder(256);
  const rejected = new RejectCounter();
  const latestMs = nowMs + maxFutureMs;
  const targets = new TargetInfoRows();
  for (const rmv of asArray(field(asObject(body, 'request'), 'resourceMetrics', 'resource_metrics'), 'resourceMetrics')) {
    const rm = asObject(rmv, 'ResourceMetrics');
    const rawAttrs = asObject(rm['resource'], 'resource')['attributes'];
    const resource = resolver.resource(JSON_KEY + JSON.stringify(rawAttrs ?? []), () => attributes(rawAttrs));
    let newestMs = 0;
    for (const smv of asArray(field(rm, 'scopeMetrics', 'scope_metrics'), 'scopeMetrics')) {
      const sm = asObject(smv, 'ScopeMetrics');
      const rawScope = sm['scope'];
      const scopeCtx = resolver.scope(resource, rawScope === undefined || rawScope === null ? '' : JSON_KEY + JSON.stringify(rawScope), () => scopeOf(rawScope));
      for (const mv of asArray(sm['metrics'], 'metrics')) {
        const m = asObject(mv, 'Metric');
        const typed = metricData(m);
        if (typed === undefined) continue;
        const points = asArray(field(typed.data, 'dataPoints', 'data_points'), 'dataPoints');
        // A header field that cannot be read refuses the metric's points, as in protobuf.
        const header = orItemFault(() => ({ name: asString(m['name'], 'name'), description: asString(m['description'], 'description'), unit: asString(m['unit'], 'unit') }));
        if (scopeCtx.fault !== undefined || header instanceof ItemFault || header.name === '') {
          rejected.reject(scopeCtx.fault ?? (header instanceof ItemFault ? header.reason : 'missing_metric_name'), points.length);
          continue;
        }
        const metric = resolver.metric(scopeCtx, header.name, typed.kind, header.description, header.unit);
        for (const p of points) {
          const dp = asObject(p, 'DataPoint');
          try {
            const timeMs = nanosToMs(field(dp, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano');
            checkPointTime(timeMs, latestMs);
            const { value, complex } = typed.read(dp);
            const id = resolver.resolve(metric, labelPairs(dp), undefined);
            const startMs = typed.kind === MetricKind.GAUGE ? 0 : nanosToMs(field(dp, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano');
            b.push(id, timeMs, value, complex, startMs !== 0 ? startMs : undefined);
            if (timeMs > newestMs) newestMs = timeMs;
          } catch (err) {
            if (!(err instanceof ItemFault)) throw err;
            rejected.reject(err.reason);
          }
        }
      }
    }
    targets.note(resource, newestMs);
  }
  targets.flush(b, resolver);
  return { batch: b.build(), rejected };
}

function scopeOf(raw: unknown): ScopeIdentity {
  if (raw === undefined || raw === null) return EMPTY_SCOPE;
  const o = asObject(raw, 'scope');
  return { name: asString(o['name'], 'scope.name'), version: asString(o['version'], 'scope.version'), attributes: attributes(o['attributes']) };
}

function metricData(m: JsonObject): { data: JsonObject; kind: MetricKind; read: PointReader } | undefined {
  if (m['gauge'] !== undefined) return { data: asObject(m['gauge'], 'gauge'), kind: MetricKind.GAUGE, read: numberPoint };
  if (m['sum'] !== undefined) {
    const data = asObject(m['sum'], 'sum');
    const temporality = enumValue(field(data, 'aggregationTemporality', 'aggregation_temporality'), TEMPORALITY, 'aggregationTemporality');
    return { data, kind: sumKind(temporality, field(data, 'isMonotonic', 'is_monotonic') === true), read: numberPoint };
  }
  if (m['histogram'] !== undefined) return { data: asObject(m['histogram'], 'histogram'), kind: MetricKind.HISTOGRAM, read: histogramPoint };
  const exp = field(m, 'exponentialHistogram', 'exponential_histogram');
  if (exp !== undefined) return { data: asObject(exp, 'exponentialHistogram'), kind: MetricKind.EXP_HISTOGRAM, read: expHistogramPoint };
  if (m['summary'] !== undefined) return { data: asObject(m['summary'], 'summary'), kind: MetricKind.SUMMARY, read: summaryPoint };
  return undefined;
}

function labelPairs(dp: JsonObject): string[] {
  const pairs: string[] = [];
  for (const item of asArray(dp['attributes'], 'attributes')) {
    const kv = asObject(item, 'KeyValue');
    pushLabelPair(pairs, asString(kv['key'], 'key'), labelValueOf(anyValue(kv['value'], 1)));
  }
  return pairs;
}

function flagsOf(dp: JsonObject): number {
  const f = dp['flags'];
  if (f === undefined || f === null) return 0;
  if (typeof f !== 'number' || !Number.isInteger(f)) throw new OtlpJsonError('flags must be an integer');
  return f;
}

/** Absent or flagged points have no payload: a stale marker (see numberPointValue). */
function stale(dp: JsonObject): boolean {
  return (flagsOf(dp) & FLAG_NO_RECORDED_VALUE) !== 0;
}

function numberPoint(dp: JsonObject): { value: number; complex: undefined } {
  const d = field(dp, 'asDouble', 'as_double');
  const i = field(dp, 'asInt', 'as_int');
  const flags = flagsOf(dp);
  if (d === undefined && i === undefined && (flags & FLAG_NO_RECORDED_VALUE) === 0) throw new ItemFault('missing_value');
  const raw = d !== undefined ? doubleValue(d, 'asDouble') : i !== undefined ? int64Number(i, 'asInt') : NaN;
  return { value: numberPointValue(raw, flags), complex: undefined };
}

function optionalDouble(v: unknown, what: string): number | undefined {
  return v === undefined || v === null ? undefined : doubleValue(v, what);
}

function counts(v: unknown, what: string): Float64Array {
  return Float64Array.from(asArray(v, what), (x) => int64Number(x, what));
}

function histogramPoint(dp: JsonObject): { value: number; complex: ComplexValue | undefined } {
  if (stale(dp)) return { value: numberPointValue(NaN, FLAG_NO_RECORDED_VALUE), complex: undefined };
  const count = int64Number(dp['count'], 'count');
  const sum = optionalDouble(dp['sum'], 'sum') ?? 0;
  const bounds = Float64Array.from(asArray(field(dp, 'explicitBounds', 'explicit_bounds'), 'explicitBounds'), (x) => doubleValue(x, 'explicitBounds'));
  let c = counts(field(dp, 'bucketCounts', 'bucket_counts'), 'bucketCounts');
  if (c.length === 0 && bounds.length === 0) c = Float64Array.of(count);
  const min = optionalDouble(dp['min'], 'min');
  const max = optionalDouble(dp['max'], 'max');
  checkHistogram(bounds, c, count, sum, min, max);
  return { value: sum, complex: { type: 'histogram', bounds, counts: c, count, sum, ...minMax(min, max) } };
}

function buckets(v: unknown, what: string): { offset: number; counts: Float64Array } {
  const o = asObject(v, what);
  const offset = o['offset'] ?? 0;
  if (typeof offset !== 'number' || !Number.isInteger(offset)) throw new OtlpJsonError(`${what}.offset must be an integer`);
  return { offset, counts: counts(field(o, 'bucketCounts', 'bucket_counts'), `${what}.bucketCounts`) };
}

function expHistogramPoint(dp: JsonObject): { value: number; complex: ComplexValue | undefined } {
  if (stale(dp)) return { value: numberPointValue(NaN, FLAG_NO_RECORDED_VALUE), complex: undefined };
  const count = int64Number(dp['count'], 'count');
  const sum = optionalDouble(dp['sum'], 'sum') ?? 0;
  const scale = dp['scale'] ?? 0;
  if (typeof scale !== 'number' || !Number.isInteger(scale)) throw new OtlpJsonError('scale must be an integer');
  const zeroCount = int64Number(field(dp, 'zeroCount', 'zero_count'), 'zeroCount');
  const pos = buckets(dp['positive'], 'positive');
  const neg = buckets(dp['negative'], 'negative');
  checkExpHistogram(zeroCount, pos.counts, neg.counts, count, sum);
  const mm = minMax(optionalDouble(dp['min'], 'min'), optionalDouble(dp['max'], 'max'));
  return {
    value: sum,
    complex: { type: 'exp_histogram', scale, zeroCount, positiveOffset: pos.offset, positive: pos.counts, negativeOffset: neg.offset, negative: neg.counts, count, sum, ...mm },
  };
}

function summaryPoint(dp: JsonObject): { value: number; complex: ComplexValue | undefined } {
  if (stale(dp)) return { value: numberPointValue(NaN, FLAG_NO_RECORDED_VALUE), complex: undefined };
  const count = int64Number(dp['count'], 'count');
  const sum = optionalDouble(dp['sum'], 'sum') ?? 0;
  const qv = asArray(field(dp, 'quantileValues', 'quantile_values'), 'quantileValues').map((x) => asObject(x, 'ValueAtQuantile'));
  const quantiles = Float64Array.from(qv, (q) => optionalDouble(q['quantile'], 'quantile') ?? 0);
  const values = Float64Array.from(qv, (q) => optionalDouble(q['value'], 'value') ?? 0);
  checkSummary(quantiles, values, sum);
  return { value: sum, complex: { type: 'summary', quantiles, values, count, sum } };
}
