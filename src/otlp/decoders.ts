import type { SeriesTable } from '../model/series-table';
import { eventBatch } from '../model/events';
import type { LogsBatchResult, MetricsDecodeResult } from './decode-result';
import { OtlpJsonError } from './json/json-fields';
import { decodeJsonLogs } from './json/logs-json';
import { decodeJsonMetrics } from './json/metrics-json';
import { checkProtoLogs } from './proto/logs-check';
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
    return structural(() => checkProtoLogs(body, nowMs, this.options.maxFutureMs));
  }
}

