import { isStaleMarker, METRIC_KIND_NAMES, type MetricBatch, type SeriesTable } from '../api';
import { complexFieldsJson } from './complex-json';
import { jsonNumber } from './json-number';
import { labelsJson } from './json-value';
import type { Redactor } from './redaction';

/**
 * Formats metric points as JSON lines. Everything that depends only on the series (name, labels,
 * type) is built once per series and cached by series id; the cache entry is trusted only while
 * the table's generation for the id is unchanged, because swept ids are reused for other series.
 * Per point, the work is a few string concatenations of numbers.
 */
export class MetricLineFormatter {
  private prefixes: (string | undefined)[] = [];
  private generations: number[] = [];

  constructor(
    private readonly series: SeriesTable,
    private readonly redact?: Redactor,
  ) {}

  /** One line per point of `batch`, each ending with `\n`, as one string (no array per point). */
  format(batch: MetricBatch): string {
    let out = '';
    const { series, values, timestamps, complex, startTimes, requestIds, epochs } = batch;
    for (let i = 0; i < batch.length; i++) {
      const value = values[i]!;
      let line = this.prefix(series[i]!) + jsonNumber(value) + ',"timestamp_ms":' + jsonNumber(timestamps[i]!);
      if (value !== value && isStaleMarker(value)) line += ',"stale":true';
      // Builders fill absent start times with 0 once any row has one.
      if (startTimes !== undefined && startTimes[i]! > 0) line += ',"start_time_ms":' + jsonNumber(startTimes[i]!);
      const c = complex?.[i];
      if (c !== undefined) line += complexFieldsJson(c);
      const requestId = requestIds?.[i];
      if (requestId !== undefined) line += ',"epoch":' + jsonNumber(epochs?.[i] ?? 0) + ',"request_id":' + JSON.stringify(requestId);
      out += line + '}\n';
    }
    return out;
  }

  /** `{"signal":"metrics","name":...,"labels":{...},"type":...,"value":` for a series. */
  private prefix(id: number): string {
    const generation = this.series.generation(id);
    const cached = this.prefixes[id];
    if (cached !== undefined && this.generations[id] === generation) return cached;
    const info = this.series.info(id);
    const prefix =
      `{"signal":"metrics","name":${JSON.stringify(info.name)},"labels":${labelsJson(info.labels, this.redact)}` +
      `,"type":"${METRIC_KIND_NAMES[info.kind]}","value":`;
    this.prefixes[id] = prefix;
    this.generations[id] = generation;
    return prefix;
  }
}
