import { MetricBatchBuilder, isPermanent, parseSize, type MetricBatch, type ReceiverContext } from '../../src/api';
import { HttpError, ReceiverHttpServer, type HttpAnswer, type ReceivedRequest } from '../../src/http';
import { HttpServerReceiver } from '../../src/http/http-receiver';
import { InflateThread, WriteRequestDecoder, snappyUncompressedLength } from '../../src/prometheus/remote-write';
import type { RemoteWriteReceiverConfig } from './config';
import { RefusedRequests } from './refused-requests';

export const WRITE_PATH = '/api/v1/write';

/**
 * Prometheus remote write 1.0 receiver at POST /api/v1/write. The body stays snappy-encoded
 * through the shared HTTP server (`rawEncodings`), is inflated on the receiver's own thread
 * ({@link InflateThread}) under a bound read from the snappy header, decoded straight into a
 * metric batch and handed to the pipelines. 204 when the pipelines accepted; their refusals map to
 * 400/429/503 in the HTTP server.
 *
 * Requests refused with back-pressure are kept decoded ({@link RefusedRequests}): senders send
 * the same bytes again, and under sustained back-pressure decoding was otherwise paid per retry.
 */
export class RemoteWriteReceiver extends HttpServerReceiver {
  protected readonly server: ReceiverHttpServer;
  private readonly decoder: WriteRequestDecoder;
  private readonly maxUncompressed: number;
  private readonly builder = new MetricBatchBuilder(1024);
  private readonly refused = new RefusedRequests();
  private readonly inflater: InflateThread;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ReceiverContext<RemoteWriteReceiverConfig>) {
    super();
    this.decoder = new WriteRequestDecoder(ctx.series);
    this.inflater = new InflateThread(ctx.clock);
    this.maxUncompressed = parseSize(ctx.config.max_request_body_size) * ctx.config.max_uncompressed_ratio;
    this.server = new ReceiverHttpServer(ctx, ctx.config, [
      { method: 'POST', path: WRITE_PATH, contentTypes: ['application/x-protobuf'], rawEncodings: ['snappy'], handler: (req) => this.handle(req) },
    ]);
    // A kept batch names series by id: once the table frees ids, it may name the wrong ones.
    this.unsubscribe = ctx.series.onEvict(() => this.refused.clear());
  }

  /** The inflate thread first: a collector whose thread cannot inflate fails to start rather than answer every request 500. */
  override async start(): Promise<void> {
    await this.inflater.start();
    await super.start();
  }

  override async shutdown(): Promise<void> {
    this.unsubscribe();
    this.refused.clear();
    await super.shutdown();
    await this.inflater.close();
  }

  private async handle(req: ReceivedRequest): Promise<HttpAnswer> {
    const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (encoding !== 'snappy') throw new HttpError(415, `remote write needs Content-Encoding: snappy, got "${encoding.slice(0, 32)}"`);
    // Remote write 2.0 announces itself in a content-type parameter; only 1.0 is spoken here.
    const proto = /proto=([^;\s]+)/.exec(String(req.headers['content-type'] ?? ''))?.[1];
    if (proto !== undefined && proto !== 'prometheus.WriteRequest') throw new HttpError(415, `unsupported remote write message ${proto.slice(0, 64)}; only 1.0 (prometheus.WriteRequest)`);
    const kept = this.refused.take(req.body);
    // A new batch object over the same (immutable) columns: stages that track progress per batch
    // object (exporters skipping what a runtime retry already sent) must see a new batch, as before.
    const batch = kept !== undefined ? { ...kept } : await this.decode(req.body);
    if (batch.length === 0) return { status: 204 };
    try {
      await this.ctx.output.consume(batch);
    } catch (err) {
      if (!isPermanent(err)) this.refused.keep(req.body, batch);
      throw err;
    }
    return { status: 204 };
  }

  private async decode(body: Buffer): Promise<MetricBatch> {
    const declared = snappyUncompressedLength(body);
    if (declared > this.maxUncompressed) throw new HttpError(413, `request inflates to ${declared} bytes, over the ${this.maxUncompressed} limit`);
    const raw = await this.inflater.inflate(body);
    // One builder for every request: decoding is synchronous and build() hands its arrays over.
    const builder = this.builder;
    let stats;
    try {
      stats = this.decoder.decode(raw, builder);
    } catch (err) {
      builder.build(); // discard the rows of the refused request
      throw err;
    }
    if (stats.nativeHistograms > 0) this.ctx.telemetry.dropped(stats.nativeHistograms, 'native_histogram_unsupported');
    return builder.build();
  }
}
