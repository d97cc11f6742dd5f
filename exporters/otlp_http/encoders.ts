import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { eventCount, type EventBatch, type MetricBatch, type SeriesTable } from '../../src/api';
import { allOtlpLogRecords, LogRecordsRequest, logsJson, LogsProtoEncoder, metricsJson, MetricsProtoEncoder, RowGroups, SeriesEncodingCache, type LeftOut } from '../../src/otlp/encode';
import type { OtlpLogRecords } from '../../src/otlp/proto/logs-check';
import { recordsRange } from '../../src/processing/records-range';

const gzipAsync = promisify(gzip);

/**
 * Each request cut from log records walks their request bodies from the start to its first
 * record, so a batch cut into very many requests (a huge client request, a small
 * `max_items_per_request`) would cost the square of its records: beyond this many requests, its
 * events are built and encoded instead, which costs more per record but stays linear.
 */
const MAX_RAW_REQUESTS = 16;

/** One encoded request body, ready to POST. */
export interface EncodedRequest {
  readonly body: Buffer;
  /** Items in the request. */
  readonly items: number;
  /** Rows of the window that could not be encoded (metrics only). */
  readonly leftOut: LeftOut;
}

interface Slot {
  readonly rows: RowGroups;
  readonly metrics: MetricsProtoEncoder;
  readonly logs: LogsProtoEncoder;
}

const NOTHING_LEFT_OUT: LeftOut = { unknownSeries: 0, invalidPoint: 0 };

/**
 * Encodes request bodies (protobuf or JSON, gzip or not). Encoders reuse their buffers, so each
 * concurrent request takes its own slot from a pool and gives it back once its bytes are copied
 * or compressed; all slots share one per-series cache.
 */
export class RequestEncoders {
  private readonly cache: SeriesEncodingCache;
  private readonly free: Slot[] = [];
  private readonly rawLogs = new LogRecordsRequest();

  constructor(series: SeriesTable, labelsToResource: boolean, private readonly json: boolean, private readonly gzip: boolean) {
    this.cache = new SeriesEncodingCache(series, { labelsToResource });
  }

  /** Rows [start, end) of a metric batch as one ExportMetricsServiceRequest. */
  async metrics(batch: MetricBatch, start: number, end: number): Promise<EncodedRequest> {
    const slot = this.free.pop() ?? this.slot();
    try {
      slot.rows.group(batch, start, end);
      const leftOut = { ...slot.rows.leftOut };
      const raw = this.json ? metricsJson(batch, slot.rows, this.cache) : slot.metrics.encode(batch, slot.rows);
      return { body: await this.finish(raw), items: slot.rows.points, leftOut };
    } finally {
      this.free.push(slot);
    }
  }

  /** Events [start, end) as one ExportLogsServiceRequest. */
  async logs(batch: EventBatch, start: number, end: number): Promise<EncodedRequest> {
    if (!this.json && batch.records !== undefined && allOtlpLogRecords(batch.records) && eventCount(batch) <= MAX_RAW_REQUESTS * (end - start)) return this.rawLogRecords(batch.records, start, end);
    const events = start === 0 && end === batch.items.length ? batch.items : batch.items.slice(start, end);
    if (this.json) return { body: await this.finish(logsJson(events)), items: events.length, leftOut: NOTHING_LEFT_OUT };
    const slot = this.free.pop() ?? this.slot();
    try {
      return { body: await this.finish(slot.logs.encode(events)), items: events.length, leftOut: NOTHING_LEFT_OUT };
    } finally {
      this.free.push(slot);
    }
  }

  /**
   * Records [start, end) of a batch of OTLP log records, sent as the bytes they arrived in: a
   * relay forwards logs without building an event (see LogRecordsRequest). The request is planned
   * and written in one go, so one planner serves concurrent requests; its buffer is the request's own.
   */
  private async rawLogRecords(records: readonly OtlpLogRecords[], start: number, end: number): Promise<EncodedRequest> {
    const picked = recordsRange(records, start, end) as OtlpLogRecords[]; // slices of OtlpLogRecords are OtlpLogRecords
    const raw = Buffer.allocUnsafe(this.rawLogs.plan(picked));
    this.rawLogs.writeInto(raw, 0);
    return { body: this.gzip ? await gzipAsync(raw) : raw, items: end - start, leftOut: NOTHING_LEFT_OUT };
  }

  /** Compresses (off the event loop) or copies out of the slot's buffer, which is then reused. */
  private async finish(raw: Uint8Array): Promise<Buffer> {
    if (this.gzip) return gzipAsync(raw);
    return Buffer.from(raw);
  }

  private slot(): Slot {
    return { rows: new RowGroups(this.cache), metrics: new MetricsProtoEncoder(this.cache), logs: new LogsProtoEncoder() };
  }
}

