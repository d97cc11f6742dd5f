import { MetricBatchBuilder } from '../../model/metric-batch';
import type { ComplexValue } from '../../model/complex-value';
import { MetricKind } from '../../model/metric-kind';
import { labelValueOf, pushLabelPair } from '../attribute-values';
import { ItemFault, RejectCounter, type ItemReason } from '../item-fault';
import { sumKind } from '../metric-kind-of';
import { checkPointTime, numberPointValue } from '../point-checks';
import type { MetricsDecodeResult } from '../decode-result';
import { EMPTY_SCOPE } from '../scope-labels';
import type { MetricContext, ResourceContext, ScopeContext, SeriesResolver } from '../series-resolver';
import { TargetInfoRows } from '../target-info';
import { requestWords, type RequestWords } from '../point-sequence';
import { readKeyValueLabel } from './any-value';
import { readComplexPoint, type PointHeader } from './complex-points';
import { findField, readResourceAttributes, readScope } from './resource';
import { bytesKey, repeatedString } from './strings';
import { fieldTypes, WireReader, WT_I64 } from '../../wire/wire-reader';

const REQUEST_FIELDS = fieldTypes({ 1: 2 });
const RESOURCE_METRICS_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2 });
const SCOPE_METRICS_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2 });
const METRIC_FIELDS = fieldTypes({ 1: 2, 2: 2, 3: 2, 5: 2, 7: 2, 9: 2, 10: 2, 11: 2, 12: 2 });
const CONTAINER_FIELDS = fieldTypes({ 1: 2, 2: 0, 3: 0 });
const NUMBER_POINT_FIELDS = fieldTypes({ 2: 1, 3: 1, 4: 1, 5: 2, 6: 1, 7: 2, 8: 0 });

/** Metric data field tags (field << 3 | 2). */
const GAUGE = 0x2a;
const SUM = 0x3a;
const HISTOGRAM = 0x4a;
const EXP_HISTOGRAM = 0x52;
const SUMMARY = 0x5a;

/** Tag of the attributes field in each data point message. */
const ATTR_TAG: Record<number, number> = { [GAUGE]: 0x3a, [SUM]: 0x3a, [HISTOGRAM]: 0x4a, [EXP_HISTOGRAM]: 0x0a, [SUMMARY]: 0x3a };

/**
 * Streams an `ExportMetricsServiceRequest` straight into batch columns: resource → scope →
 * metric → data points (then one `target_info` row per resource), with no object per number point and no label materialisation for
 * attribute sets seen before (see {@link SeriesResolver}). Structural faults throw `WireError`;
 * invalid items are counted in the result's `rejected` and left out.
 *
 * One instance per receiver; `decode` is synchronous and not re-entrant.
 */
export class ProtoMetricsDecoder {
  private r = new WireReader(Buffer.alloc(0));
  /** The request's ArrayBuffer as 8-byte chunks and a DataView, for the resolver's sequence compare. */
  private words: RequestWords = requestWords(Buffer.alloc(0));
  private b = new MetricBatchBuilder(1024);
  private rejected = new RejectCounter();
  private latestMs = 0;
  /** Newest accepted point time under the current ResourceMetrics (its target_info time). */
  private newestMs = 0;
  private readonly targets = new TargetInfoRows();
  private readonly span = new Int32Array(2);
  /** Position of the current point within its metric (for the resolver's sequence prediction). */
  private pointIndex = 0;
  private readonly kv = { key: '', value: '' };
  private readonly pt: PointHeader = { attrStart: -1, attrEnd: -1, split: false, startNs: 0, timeNs: 0, flags: 0 };

  constructor(
    private readonly resolver: SeriesResolver,
    private readonly maxFutureMs: number,
  ) {}

  decode(body: Buffer, nowMs: number): MetricsDecodeResult {
    const r = (this.r = new WireReader(body));
    this.words = requestWords(body);
    this.rejected = new RejectCounter();
    this.latestMs = nowMs + this.maxFutureMs;
    const end = body.length;
    try {
      for (let e = r.nextDelimited(0x0a, REQUEST_FIELDS, end); e >= 0; e = r.nextDelimited(0x0a, REQUEST_FIELDS, end)) this.resourceMetrics(e);
      this.targets.flush(this.b, this.resolver);
      return { batch: this.b.build(), rejected: this.rejected };
    } finally {
      // A failed request must not leak its rows into the next one.
      this.targets.clear();
      if (this.b.length > 0) this.b.build();
    }
  }

  private resourceMetrics(end: number): void {
    const r = this.r;
    const start = r.pos;
    findField(r, end, 0x0a, RESOURCE_METRICS_FIELDS, this.span);
    const rs = this.span[0]!;
    const re = this.span[1]!;
    const resource = this.resolver.resource(rs < 0 ? '' : bytesKey(r.buf, rs, re), () => (rs < 0 ? {} : readResourceAttributes(new WireReader(r.buf), rs, re)));
    r.pos = start;
    this.newestMs = 0;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === 0x12) this.scopeMetrics(resource, r.lengthEnd(end));
      else r.skip(tag & 7, end);
    }
    this.targets.note(resource, this.newestMs);
  }

  private scopeMetrics(resource: ResourceContext, end: number): void {
    const r = this.r;
    const start = r.pos;
    findField(r, end, 0x0a, SCOPE_METRICS_FIELDS, this.span);
    const ss = this.span[0]!;
    const se = this.span[1]!;
    const scope = this.resolver.scope(resource, ss < 0 ? '' : bytesKey(r.buf, ss, se), () => (ss < 0 ? EMPTY_SCOPE : readScope(new WireReader(r.buf), ss, se)));
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === 0x12) {
        const e = r.lengthEnd(end);
        this.metric(scope, e);
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
  }

  private metric(scopeCtx: ScopeContext, end: number): void {
    const r = this.r;
    const buf = r.buf;
    let name = '';
    let description = '';
    let unit = '';
    let dataTag = 0;
    let dataStart = -1;
    let dataEnd = -1;
    let fault: ItemReason | undefined = scopeCtx.fault;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if ((tag & 7) !== 2) {
        r.skipUnknown(tag, METRIC_FIELDS, end);
        continue;
      }
      const e = r.lengthEnd(end);
      try {
        if (tag === 0x0a) name = repeatedString(buf, r.view, r.pos, e);
        else if (tag === 0x12) description = repeatedString(buf, r.view, r.pos, e);
        else if (tag === 0x1a) unit = repeatedString(buf, r.view, r.pos, e);
        else if (tag === GAUGE || tag === SUM || tag === HISTOGRAM || tag === EXP_HISTOGRAM || tag === SUMMARY) {
          dataTag = tag;
          dataStart = r.pos;
          dataEnd = e;
        }
      } catch (err) {
        if (!(err instanceof ItemFault)) throw err;
        fault ??= err.reason;
      }
      r.pos = e;
    }
    if (dataTag === 0) return;
    if (name === '') fault ??= 'missing_metric_name';
    r.pos = dataStart;
    const kind = this.containerKind(dataTag, dataEnd);
    if (fault !== undefined) {
      this.rejectAll(dataEnd, fault);
      return;
    }
    const scope = this.resolver.metric(scopeCtx, name, kind, description, unit);
    r.pos = dataStart;
    const withStart = dataTag !== GAUGE;
    this.pointIndex = 0;
    for (let e = r.nextDelimited(0x0a, CONTAINER_FIELDS, dataEnd); e >= 0; e = r.nextDelimited(0x0a, CONTAINER_FIELDS, dataEnd)) {
      if (dataTag === GAUGE || dataTag === SUM) this.numberPoint(scope, e, withStart);
      else this.complexPoint(scope, e, dataTag);
      r.pos = e;
    }
  }

  /** Reads temporality and monotonicity (fields 2, 3 of the container) to decide the kind. */
  private containerKind(dataTag: number, end: number): MetricKind {
    switch (dataTag) {
      case GAUGE:
        return MetricKind.GAUGE;
      case HISTOGRAM:
        return MetricKind.HISTOGRAM;
      case EXP_HISTOGRAM:
        return MetricKind.EXP_HISTOGRAM;
      case SUMMARY:
        return MetricKind.SUMMARY;
    }
    const r = this.r;
    let temporality = 0;
    let monotonic = false;
    const buf = r.buf;
    while (r.pos < end) {
      // The data points (field 1, read again afterwards) come before these fields in every
      // encoder's output: skip them inline when the length takes one or two bytes.
      const at = r.pos;
      if (buf[at] === 0x0a && at + 2 < end) {
        const b1 = buf[at + 1]!;
        const b2 = buf[at + 2]!;
        const e = b1 < 0x80 ? at + 2 + b1 : b2 < 0x80 ? at + 3 + ((b1 & 0x7f) | (b2 << 7)) : end + 1;
        if (e <= end) {
          r.pos = e;
          continue;
        }
      }
      const tag = r.uint32(end);
      if (tag === 0x10) temporality = r.uint32(end);
      else if (tag === 0x18) monotonic = r.uint32(end) !== 0;
      else r.skipUnknown(tag, CONTAINER_FIELDS, end);
    }
    return sumKind(temporality, monotonic);
  }

  private rejectAll(end: number, reason: ItemReason): void {
    const r = this.r;
    let n = 0;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === 0x0a) n++;
      r.skip(tag & 7, end);
    }
    this.rejected.reject(reason, n);
  }

  /** NumberDataPoint: the hot path. Fields are read into locals; nothing is allocated on a cache hit. */
  private numberPoint(scope: MetricContext, end: number, withStart: boolean): void {
    const r = this.r;
    const itemStart = r.pos;
    let attrStart = -1;
    let attrEnd = -1;
    let split = false;
    let startNs = 0;
    let timeNs = 0;
    let value = 0;
    let hasValue = false;
    let flags = 0;
    // Locals instead of reader properties: single-byte tags and lengths (nearly all of them) and
    // the fixed 8-byte fields are read inline; anything else goes through the reader.
    const buf = r.buf;
    const view = r.view;
    let pos = r.pos;
    while (pos < end) {
      const at = pos;
      const tag = r.uint32At(pos, end);
      pos = r.pos;
      if (tag === 0x3a) {
        const len = buf[pos]!;
        let e: number;
        if (len < 0x80 && pos + 1 + len <= end) e = pos + 1 + len;
        else {
          r.pos = pos;
          e = r.lengthEnd(end);
        }
        if (attrStart < 0) attrStart = at;
        else if (attrEnd !== at) split = true;
        attrEnd = pos = e;
        continue;
      }
      if ((tag & 7) === WT_I64 && pos + 8 <= end) {
        if (tag === 0x19) timeNs = view.getUint32(pos + 4, true) * 4294967296 + view.getUint32(pos, true);
        else if (tag === 0x21) {
          value = view.getFloat64(pos, true);
          hasValue = true;
        } else if (tag === 0x11) startNs = view.getUint32(pos + 4, true) * 4294967296 + view.getUint32(pos, true);
        else if (tag === 0x31) {
          value = view.getInt32(pos + 4, true) * 4294967296 + view.getUint32(pos, true);
          hasValue = true;
        } else {
          r.pos = pos;
          r.skipUnknown(tag, NUMBER_POINT_FIELDS, end); // throws on a known field; else nothing to read
        }
        pos += 8;
        continue;
      }
      r.pos = pos;
      if (tag === 0x40) flags = r.uint32(end);
      else r.skipUnknown(tag, NUMBER_POINT_FIELDS, end);
      pos = r.pos;
    }
    r.pos = pos;
    try {
      const timeMs = timeNs / 1e6;
      checkPointTime(timeMs, this.latestMs);
      if (!hasValue && (flags & 1) === 0) throw new ItemFault('missing_value');
      const v = numberPointValue(value, flags);
      const id = this.seriesOf(scope, itemStart, end, attrStart, attrEnd, split, 0x3a);
      this.b.push(id, timeMs, v, undefined, withStart && startNs !== 0 ? startNs / 1e6 : undefined);
      if (timeMs > this.newestMs) this.newestMs = timeMs;
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      this.rejected.reject(err.reason);
    }
  }

  private complexPoint(scope: MetricContext, end: number, dataTag: number): void {
    const r = this.r;
    const itemStart = r.pos;
    const pt = this.pt;
    try {
      const complex: ComplexValue | undefined = readComplexPoint(r, end, dataTag, pt);
      const timeMs = pt.timeNs / 1e6;
      checkPointTime(timeMs, this.latestMs);
      const attrTag = ATTR_TAG[dataTag]!;
      const id = this.seriesOf(scope, itemStart, end, pt.attrStart, pt.attrEnd, pt.split, attrTag);
      const startMs = pt.startNs !== 0 ? pt.startNs / 1e6 : undefined;
      this.b.push(id, timeMs, complex === undefined ? numberPointValue(NaN, 1) : complex.sum, complex, startMs);
      if (timeMs > this.newestMs) this.newestMs = timeMs;
    } catch (err) {
      if (!(err instanceof ItemFault)) throw err;
      this.rejected.reject(err.reason);
      r.pos = end;
    }
  }

  /**
   * The series of a point. Contiguous attribute bytes are the cache key; a point whose attributes
   * are interleaved with other fields (legal, but no SDK does it) is resolved without the cache.
   */
  private seriesOf(scope: MetricContext, itemStart: number, end: number, attrStart: number, attrEnd: number, split: boolean, attrTag: number): number {
    const r = this.r;
    const index = this.pointIndex++;
    if (split) return this.resolver.resolve(scope, this.labelPairs(itemStart, end, attrTag), undefined);
    const s = attrStart < 0 ? 0 : attrStart;
    const e = attrStart < 0 ? 0 : attrEnd;
    let id = this.resolver.predicted(scope, index, this.words, s, e);
    if (id >= 0) return id;
    const key = bytesKey(r.buf, s, e);
    id = this.resolver.cached(scope, key);
    if (id < 0) id = this.resolver.resolve(scope, this.labelPairs(s, e, attrTag), key);
    this.resolver.remember(scope, index, r.buf, s, e, id);
    return id;
  }

  private labelPairs(from: number, to: number, attrTag: number): string[] {
    const r = this.r;
    const saved = r.pos;
    const pairs: string[] = [];
    const kv = this.kv;
    r.pos = from;
    while (r.pos < to) {
      const tag = r.uint32(to);
      if (tag === attrTag) {
        const e = r.lengthEnd(to);
        readKeyValueLabel(r, e, labelValueOf, kv);
        pushLabelPair(pairs, kv.key, kv.value);
        r.pos = e;
      } else r.skip(tag & 7, to);
    }
    r.pos = saved;
    return pairs;
  }
}
