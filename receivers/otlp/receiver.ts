import { batchSize, parseDuration, type Batch, type ReceiverContext } from '../../src/api';
import { HttpError, httpStatusForError } from '../../src/http/errors-to-http';
import { HttpServerReceiver, routesForSignals } from '../../src/http/http-receiver';
import { ReceiverHttpServer, type HttpAnswer, type ReceivedRequest } from '../../src/http/receiver-server';
import { MalformedRequestError, OtlpDecoders } from '../../src/otlp/decoders';
import type { RejectCounter } from '../../src/otlp/item-fault';
import { DEFAULT_RESOURCE_TO_LABELS } from '../../src/otlp/resource-policy';
import { exportResponse, JSON_TYPE, PROTOBUF, statusBody } from '../../src/otlp/responses';
import type { OtlpReceiverConfig } from './config';

const CONTENT_TYPES = [PROTOBUF, 'application/protobuf', JSON_TYPE] as const;
/** Retry-After for a refusal that carried no hint. */
const RETRY_AFTER_UNKNOWN_S = 1;

/**
 * OTLP/HTTP: `POST /v1/metrics` into the metrics pipelines and `POST /v1/logs` into the events
 * pipelines, protobuf or JSON on the same port. Only the paths of signals some pipeline takes are
 * served (the others answer 404). Invalid items are dropped and reported in `partial_success`;
 * a malformed body is refused whole (400); a refusal by the pipeline travels back as 429/503.
 */
export class OtlpReceiver extends HttpServerReceiver {
  protected readonly server: ReceiverHttpServer;
  private readonly decoders: OtlpDecoders;
  private warnedUnexpected = false;

  constructor(private readonly ctx: ReceiverContext<OtlpReceiverConfig>) {
    super();
    const config = ctx.config;
    this.decoders = new OtlpDecoders(ctx.series, {
      maxFutureMs: parseDuration(config.max_future),
      resourceToLabels: { ...DEFAULT_RESOURCE_TO_LABELS, ...config.resource_to_labels },
      seriesCacheSize: config.series_cache_size,
      scopeLabels: config.scope_labels,
    });
    const errorBody = (status: number, message: string, contentType: string): HttpAnswer => ({ status, ...statusBody(status, message, contentType === JSON_TYPE) });
    const routes = routesForSignals(ctx.output.signals, {
      metrics: { method: 'POST', path: '/v1/metrics', contentTypes: CONTENT_TYPES, handler: (req) => this.metrics(req), errorBody },
      events: { method: 'POST', path: '/v1/logs', contentTypes: CONTENT_TYPES, handler: (req) => this.logs(req), errorBody },
    });
    this.server = new ReceiverHttpServer(ctx, config, routes);
  }

  private async metrics(req: ReceivedRequest): Promise<HttpAnswer> {
    const json = req.contentType === JSON_TYPE;
    const result = this.decode(() => this.decoders.metrics(req.body, json, this.ctx.clock.now()));
    this.reportDrops(result.rejected);
    if (result.batch.length > 0) await this.deliver(result.batch);
    return { status: 200, ...exportResponse('metrics', result.rejected, json) };
  }

  private async logs(req: ReceivedRequest): Promise<HttpAnswer> {
    const json = req.contentType === JSON_TYPE;
    const result = this.decode(() => this.decoders.logs(req.body, json, this.ctx.clock.now()));
    this.reportDrops(result.rejected);
    if (batchSize(result.batch) > 0) await this.deliver(result.batch);
    return { status: 200, ...exportResponse('logs', result.rejected, json) };
  }

  /**
   * Hands the batch to the pipelines. By the API contract any refusal but a PermanentError is
   * transient, so one the HTTP layer does not recognise still answers 503 (retry), never 500.
   */
  private async deliver(batch: Batch): Promise<void> {
    try {
      await this.ctx.output.consume(batch);
    } catch (err) {
      if (httpStatusForError(err).status !== 500) throw err;
      if (!this.warnedUnexpected) {
        // Once: under a sustained failure a line per request would flood the log.
        this.warnedUnexpected = true;
        this.ctx.logger.warn('pipeline refused a batch with an unexpected error (answered 503)', { error: err instanceof Error ? err.message : String(err) });
      }
      throw new HttpError(503, 'pipeline temporarily unavailable', RETRY_AFTER_UNKNOWN_S);
    }
  }

  private decode<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof MalformedRequestError)) throw err;
      this.ctx.telemetry.dropped(1, 'malformed_request');
      throw new HttpError(400, err.message);
    }
  }

  private reportDrops(rejected: RejectCounter): void {
    for (const [reason, n] of rejected.reasons) this.ctx.telemetry.dropped(n, reason);
  }
}
