import type { SeriesTable } from '../model/series-table';
import { eventBatch, recordsBatch, type EventBatch } from '../model/events';
import type { LogsBatchResult, MetricsDecodeResult } from './decode-result';
import { OtlpJsonError } from './json/json-fields';
import { decodeJsonLogs } from './json/logs-json';
import { decodeJsonMetrics } from './json/metrics-json';
import { encodeLogRecordsRequest } from './encode/log-records-request';
import { checkProtoLogs, OtlpLogRecords, type CheckedLogs } from './proto/logs-check';
import { ProtoMetricsDecoder } from './proto/metrics-decoder';
import { WireError } from '../wire/wire-reader';
import { ResourcePolicy, type ResourceToLabels } from './resource-policy';
import { SeriesResolver } from './series-resolver';

export interface OtlpDecodeOptions {
  /** Points and records later than now + this are refused (`future_timestamp`). */
  readonly maxFutureMs: number;
  readonly resourceToLabels: ResourceToLabels;
  /** Add `otel_scope_name`, `otel_scope_version` and `otel_scope_<attribute>` labels (default true). */
  readonly scopeLabels?: boolean;
  /** Bound of the attribute-bytes → series id cache. */
  readonly seriesCacheSize: number;
}

/** A request body that is not a well-formed OTLP message: refused as a whole (400). */
export class MalformedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedRequestError';
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
  } catch (err) {
    throw new MalformedRequestError(`malformed JSON: ${(err as Error).message}`);
  }
}

function structural<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WireError || err instanceof OtlpJsonError) throw new MalformedRequestError(err.message);
    throw err;
  }
}

/**
 * The OTLP decoders of one receiver, both encodings, sharing one series cache over the process's
 * series table. Decoding is synchronous; malformed bodies throw {@link MalformedRequestError}.
 */
export class OtlpDecoders {
  private readonly resolver: SeriesResolver;
  private readonly protoMetrics: ProtoMetricsDecoder;

  constructor(series: SeriesTable, private readonly options: OtlpDecodeOptions) {
    this.resolver = new SeriesResolver(series, new ResourcePolicy(options.resourceToLabels), options.seriesCacheSize, options.scopeLabels ?? true);
    this.protoMetrics = new ProtoMetricsDecoder(this.resolver, options.maxFutureMs);
  }

  metrics(body: Buffer, json: boolean, nowMs: number): MetricsDecodeResult {
    if (json) {
      const parsed = parseJson(body);
      return structural(() => decodeJsonMetrics(parsed, this.resolver, nowMs, this.options.maxFutureMs));
    }
    return structural(() => this.protoMetrics.decode(body, nowMs));
  }

  /**
   * Protobuf records are only validated here: events are built when a stage reads them, and never
   * when the pipeline only passes them on (see EventRecords). JSON arrives as objects already.
   */
  logs(body: Buffer, json: boolean, nowMs: number): LogsBatchResult {
    if (json) {
      const parsed = parseJson(body);
      const { events, rejected } = structural(() => decodeJsonLogs(parsed, nowMs, this.options.maxFutureMs));
      return { batch: eventBatch(events), rejected };
    }
    const checked = structural(() => checkProtoLogs(body, nowMs, this.options.maxFutureMs));
    return { batch: heldCompactly(checked, body), rejected: checked.rejected };
  }
}


/** Refused records may leave this much of a body unused before the kept ones are copied out. */
const MAX_UNUSED_BYTES = 64 * 1024;

/**
 * The batch of a checked protobuf logs body, holding no more memory than its records need. A
 * records batch keeps its request's bytes alive as long as a queue or a batch processor holds it,
 * and those count items, not bytes. So when refused records make up most of a large body (a
 * request of mostly future timestamps), the kept records are copied into a request of their own;
 * and a body that is a small view of a larger buffer (zlib hands out 16 KiB chunks, node's pool
 * 8 KiB slabs) is copied out of it.
 */
function heldCompactly(checked: CheckedLogs, body: Buffer): EventBatch {
  const held = checked.batch.records;
  if (held === undefined) return checked.batch;
  const records = held as readonly OtlpLogRecords[];
  const unused = body.length - checked.keptBytes;
  if (unused > MAX_UNUSED_BYTES && unused * 2 > body.length) return checkProtoLogs(encodeLogRecordsRequest(records), Infinity, 0).batch;
  if (body.buffer.byteLength <= 2 * body.length) return checked.batch;
  const own = Buffer.allocUnsafeSlow(body.length);
  body.copy(own);
  return recordsBatch(records.map((r) => new OtlpLogRecords(own, r.starts, r.from, r.to, r.complete)));
}
