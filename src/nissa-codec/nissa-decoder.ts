import type { Batch } from '../model/batch';
import type { SeriesTable } from '../model/series-table';
import type { Signal } from '../api/signals';
import { decodeAlerts } from './decode-alerts';
import { decodeControl } from './decode-control';
import { decodeEvents } from './decode-events';
import { MetricDecoder } from './decode-metrics';
import { jsonToBinary } from './json';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './limits';
import type { DecodeResult } from './rejections';

/** Decodes any signal's batch (protobuf or JSON) with one set of limits; keeps the metric series cache. */
export class NissaDecoder {
  private readonly metrics: MetricDecoder;

  constructor(series: SeriesTable, private readonly limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.metrics = new MetricDecoder(series, limits);
  }

  decode(signal: Signal, body: Uint8Array, nowMs: number, json = false): DecodeResult<Batch> {
    const bytes = json ? jsonToBinary(signal, Buffer.from(body.buffer, body.byteOffset, body.byteLength)) : body;
    switch (signal) {
      case 'metrics': return this.metrics.decode(bytes, nowMs);
      case 'events': return decodeEvents(bytes, this.limits, nowMs);
      case 'alerts': return decodeAlerts(bytes, this.limits, nowMs);
      case 'control': return decodeControl(bytes, this.limits, nowMs);
    }
  }
}
