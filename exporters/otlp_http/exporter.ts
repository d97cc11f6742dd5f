import { eventCount, isPermanent, parseDuration, RetryableError, type Batch, type ConsumingInstance, type EventBatch, type ExporterContext, type MetricBatch } from '../../src/api';
import { BatchProgress } from '../../src/export/batch-progress';
import { HttpClient, tlsAgentOptions, transportError } from '../../src/http/client';
import type { OtlpHttpExporterConfig } from './config';
import { RequestEncoders, type EncodedRequest } from './encoders';
import { PartialSuccessLog } from './partial-success-log';
import { classify } from './response';
import { signalUrl, safeUrl } from './urls';

const USER_AGENT = 'Nissa/0.1 (otlp_http exporter)';

/** What a batch already achieved, so a retry by the runtime skips the requests that went through. */
interface Progress {
  /** Leading requests delivered (or refused for good). */
  done: number;
  /** Leading requests whose left-out rows were already counted. */
  counted: number;
}

/**
 * OTLP/HTTP exporter: metrics to `/v1/metrics`, events as log records to `/v1/logs`. A batch is
 * sent as requests of at most `max_items_per_request` items, one after the other; `consume`
 * resolves when all got a 2xx and rejects with RetryableError (429/502/503/504, network errors,
 * timeouts; the runtime retries) or PermanentError (other statuses; the runtime drops).
 */
export class OtlpHttpExporter implements ConsumingInstance {
  private readonly metricsUrl: URL;
  private readonly logsUrl: URL;
  private readonly encoders: RequestEncoders;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly partial: PartialSuccessLog;
  /** Only a retryable failure is tried again, skipping the requests already sent; otherwise a batch starts over. */
  private readonly progress = new BatchProgress<Progress>({ keep: (err) => err !== undefined && !isPermanent(err) });
  private client: HttpClient | undefined;

  constructor(private readonly ctx: ExporterContext<OtlpHttpExporterConfig>) {
    const c = ctx.config;
    if ((c.tls.cert_file === '') !== (c.tls.key_file === '')) throw new Error('otlp_http: tls.cert_file and tls.key_file go together');
    this.metricsUrl = signalUrl(c.endpoint, c.metrics_endpoint, '/v1/metrics');
    this.logsUrl = signalUrl(c.endpoint, c.logs_endpoint, '/v1/logs');
    this.timeoutMs = parseDuration(c.request_timeout);
    const json = c.encoding === 'json';
    this.encoders = new RequestEncoders(ctx.series, c.labels_to_resource, json, c.compression === 'gzip');
    this.headers = { ...c.headers, 'Content-Type': json ? 'application/json' : 'application/x-protobuf', 'User-Agent': USER_AGENT };
    if (c.compression === 'gzip') this.headers['Content-Encoding'] = 'gzip';
    this.partial = new PartialSuccessLog(ctx);
  }

  async start(): Promise<void> {
    const c = this.ctx.config;
    const secure = this.metricsUrl.protocol === 'https:' || this.logsUrl.protocol === 'https:';
    const tls = secure ? await tlsAgentOptions(c.tls) : {};
    this.client = new HttpClient({ secure, tls, clock: this.ctx.clock, timeoutMs: this.timeoutMs, maxBodyBytes: c.max_response_body_size });
  }

  async consume(batch: Batch): Promise<void> {
    if (batch.signal === 'metrics') return this.send(batch, batch.length);
    // Counted without building: a batch of OTLP log records may be sent as its bytes (see encoders).
    if (batch.signal === 'events') return this.send(batch, eventCount(batch));
  }

  async shutdown(): Promise<void> {
    this.client?.close();
  }

  private async send(batch: MetricBatch | EventBatch, items: number): Promise<void> {
    if (items === 0) return;
    return this.progress.run(batch, () => ({ done: 0, counted: 0 }), (p) => this.sendFrom(batch, items, p));
  }

  private async sendFrom(batch: MetricBatch | EventBatch, items: number, p: Progress): Promise<void> {
    const max = this.ctx.config.max_items_per_request;
    const requests = Math.ceil(items / max);
    while (p.done < requests) {
      const start = p.done * max;
      const end = Math.min(items, start + max);
      const req = batch.signal === 'metrics' ? await this.encoders.metrics(batch, start, end) : await this.encoders.logs(batch, start, end);
      if (p.counted <= p.done) {
        this.countLeftOut(req, batch);
        p.counted = p.done + 1;
      }
      if (req.items > 0) await this.post(batch.signal === 'metrics' ? this.metricsUrl : this.logsUrl, req, batch);
      p.done++;
    }
  }

  private async post(url: URL, req: EncodedRequest, batch: Batch): Promise<void> {
    const client = this.client;
    if (client === undefined) throw new RetryableError('otlp_http exporter is not started');
    let reply;
    try {
      reply = await client.post(url, req.body, this.headers);
    } catch (err) {
      throw transportError(`otlp_http to ${safeUrl(url)}: ${(err as Error).message}`, err);
    }
    const partial = classify(reply, safeUrl(url), this.ctx.clock.now());
    if (partial !== undefined) this.partial.record(partial, req.items, batch);
  }

  private countLeftOut(req: EncodedRequest, batch: Batch): void {
    if (req.leftOut.unknownSeries > 0) this.ctx.telemetry.dropped(req.leftOut.unknownSeries, 'unknown_series', batch);
    if (req.leftOut.invalidPoint > 0) this.ctx.telemetry.dropped(req.leftOut.invalidPoint, 'invalid_point', batch);
  }
}
