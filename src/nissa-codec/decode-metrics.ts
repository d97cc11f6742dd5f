import type { Reader } from './wire';
import type { ComplexValue } from '../model/complex-value';
import type { Labels } from '../model/labels';
import { MetricBatchBuilder, type MetricBatch } from '../model/metric-batch';
import { MetricKind } from '../model/metric-kind';
import type { SeriesTable } from '../model/series-table';
import { readHistogram, readSummary } from './decode-complex';
import type { DecodeLimits } from './limits';
import { forEachItem } from './decode-items';
import { ItemInvalid, Rejections, type DecodeResult } from './rejections';
import { SeriesCache } from './series-cache';
import { readMapEntry, readString, stringAt, type StringMapLimits } from './strings';
import { checkLabelName, checkMetricName, checkSampleValue, checkTimestamp, required } from './validate';
import { asBuffer, double, expectWire, lengthEnd, skipField, varint32, varint64, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './wire';

/** Proto `MetricType` is MetricKind + 1; 6 (exponential histogram) is reserved in the format. */
const MAX_TYPE = MetricKind.SUMMARY + 1;
const RESERVED_TYPE = MetricKind.EXP_HISTOGRAM + 1;

/**
 * Streams a `MetricBatch` into a columnar {@link MetricBatch}: no object per point. Each point's
 * fields land in reused scratch state; its series is found by the raw bytes of its name and label
 * fields ({@link SeriesCache}), so names and labels are decoded (and validated) only the first time
 * a series is seen. Invalid points are counted by reason and skipped; the rest are kept.
 */
export class MetricDecoder {
  private readonly cache: SeriesCache;
  private ranges = new Int32Array(34);
  private nRanges = 0;
  /** Name and label fields seen in the current point (ranges may merge several). */
  private labelFields = 0;
  private readonly labelLimits: StringMapLimits;

  constructor(private readonly series: SeriesTable, private readonly limits: DecodeLimits) {
    this.cache = new SeriesCache(series);
    this.labelLimits = {
      field: 'labels', maxEntries: limits.maxLabels, maxKeyBytes: limits.maxNameLength, maxValueBytes: limits.maxLabelValueLength,
      checkKey: checkLabelName, valueTooLongReason: 'invalid_label_value_too_long', tooManyReason: 'invalid_too_many_labels',
    };
  }

  decode(bytes: Uint8Array, nowMs: number): DecodeResult<MetricBatch> {
    const buf = asBuffer(bytes);
    this.cache.bind(buf);
    const out = new MetricBatchBuilder(Math.min(8192, Math.max(16, buf.length >> 5)));
    const rej = new Rejections();
    forEachItem(buf, 'points', rej, (r, end) => this.point(r, end, out, nowMs));
    const batch = out.build();
    return rej.result(batch, batch.length);
  }

  /** Decodes one point occupying [r.pos, end) and appends it, or throws why it is invalid. */
  private point(r: Reader, end: number, out: MetricBatchBuilder, nowMs: number): void {
    this.nRanges = 0;
    this.labelFields = 0;
    let value = 0;
    let ts = 0;
    let type = 0;
    let epoch = 0;
    let startTime = 0;
    let hasName = false;
    let complexStart = -1;
    let complexEnd = -1;
    let complexField = 0;
    let reqStart = -1;
    let reqEnd = -1;
    while (r.pos < end) {
      const fieldStart = r.pos;
      const tag = varint32(r, end);
      const wt = tag & 7;
      switch (tag >>> 3) {
        case 1: // name
          expectWire(wt, WIRE_LEN, 'name');
          r.pos = lengthEnd(r, end);
          this.addRange(fieldStart, r.pos);
          hasName = true;
          break;
        case 2: // one labels map entry
          expectWire(wt, WIRE_LEN, 'labels');
          r.pos = lengthEnd(r, end);
          this.addRange(fieldStart, r.pos);
          break;
        case 3: expectWire(wt, WIRE_FIXED64, 'value'); value = double(r, end); break;
        case 4: expectWire(wt, WIRE_VARINT, 'timestamp_ms'); ts = varint64(r, end); break;
        case 5: expectWire(wt, WIRE_VARINT, 'type'); type = varint32(r, end); break;
        case 6:
        case 7:
          expectWire(wt, WIRE_LEN, tag >>> 3 === 6 ? 'histogram' : 'summary');
          complexEnd = lengthEnd(r, end);
          complexStart = r.pos;
          complexField = tag >>> 3;
          r.pos = complexEnd;
          break;
        case 8: expectWire(wt, WIRE_VARINT, 'epoch'); epoch = varint64(r, end); break;
        case 9:
          expectWire(wt, WIRE_LEN, 'request_id');
          reqEnd = lengthEnd(r, end);
          reqStart = r.pos;
          r.pos = reqEnd;
          break;
        case 10: expectWire(wt, WIRE_VARINT, 'start_time_ms'); startTime = varint64(r, end); break;
        default: skipField(r, wt, end);
      }
    }
    if (!hasName) throw new ItemInvalid('invalid_missing_field', 'name is required');
    if (type < 1 || type > MAX_TYPE || type === RESERVED_TYPE) throw new ItemInvalid('invalid_enum', `unknown metric type ${type}`);
    const kind = (type - 1) as MetricKind;
    checkTimestamp(ts, nowMs, this.limits, 'timestamp_ms');
    let complex: ComplexValue | undefined;
    if (kind === MetricKind.HISTOGRAM || kind === MetricKind.SUMMARY) {
      const want = kind === MetricKind.HISTOGRAM ? 6 : 7;
      if (complexField !== want) throw new ItemInvalid('invalid_missing_field', `${want === 6 ? 'histogram' : 'summary'} is required for this type`);
      r.pos = complexStart;
      complex = want === 6 ? readHistogram(r, complexEnd, this.limits) : readSummary(r, complexEnd, this.limits);
      value = complex.sum;
    } else checkSampleValue(value);
    const requestId = reqStart < 0 ? '' : stringAt(r, reqStart, reqEnd, this.limits.maxNameLength, 'request_id');
    const id = this.seriesId(r, kind);
    out.push(id, ts, value, complex, startTime > 0 ? startTime : undefined);
    if (requestId !== '' || epoch !== 0) out.setIdentity(epoch, requestId);
  }

  private seriesId(r: Reader, kind: MetricKind): number {
    const hash = this.cache.hash(this.ranges, this.nRanges, kind);
    const hit = this.cache.find(hash, this.ranges, this.nRanges, kind);
    if (hit >= 0) return hit;
    const [name, labels] = this.readSeries(r);
    const id = this.series.intern(name, labels, kind);
    this.cache.add(hash, this.ranges, this.nRanges, kind, id);
    return id;
  }

  /** First sighting of a series: decode and validate its name and labels from the recorded ranges. */
  private readSeries(r: Reader): [string, Labels] {
    let name = '';
    const labels: Record<string, string> = {};
    let count = 0;
    for (let i = 0; i < this.nRanges; i += 2) {
      const stop = this.ranges[i + 1]!;
      // A range holds one or more whole name/labels fields, already checked for wire types.
      for (r.pos = this.ranges[i]!; r.pos < stop; ) {
        const tag = varint32(r, stop);
        if (tag >>> 3 === 1) name = readString(r, stop, this.limits.maxNameLength, 'name');
        else readMapEntry(r, tag & 7, stop, labels, count++, this.labelLimits);
      }
    }
    required(name, 'name');
    checkMetricName(name);
    const keys = Object.keys(labels).sort();
    const flat: string[] = new Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      flat[2 * i] = keys[i]!;
      flat[2 * i + 1] = labels[keys[i]!]!;
    }
    return [name, Object.freeze(flat)];
  }

  private addRange(start: number, end: number): void {
    // Bounded before validation so a point with a million labels cannot grow the scratch space.
    if (++this.labelFields > this.limits.maxLabels + 1) throw new ItemInvalid('invalid_too_many_labels', `more than ${this.limits.maxLabels} labels`);
    // Fields written back to back (the usual order: name, then labels) make one range.
    if (this.nRanges > 0 && this.ranges[this.nRanges - 1] === start) {
      this.ranges[this.nRanges - 1] = end;
      return;
    }
    if (this.nRanges + 2 > this.ranges.length) {
      const grown = new Int32Array(this.ranges.length * 2);
      grown.set(this.ranges);
      this.ranges = grown;
    }
    this.ranges[this.nRanges++] = start;
    this.ranges[this.nRanges++] = end;
  }
}
