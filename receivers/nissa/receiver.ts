import { SIGNALS, type ReceiverContext, type Signal } from '../../src/api';
import { HttpServerReceiver } from '../../src/http/http-receiver';
import { ReceiverHttpServer, type ReceivedRequest, type Route, type HttpAnswer } from '../../src/http/receiver-server';
import { NissaDecoder } from '../../src/nissa-codec/nissa-decoder';
import { nissaSchema } from '../../src/nissa-codec/schema';
import { decodeLimitsOf, type NissaReceiverConfig } from './config';
import { ingestAnswer } from './response';

export const CONTENT_TYPES = ['application/x-protobuf', 'application/protobuf', 'application/json'] as const;

/**
 * Takes Nissa batches over HTTP: `POST /v1/nissa/<signal>` for each signal a pipeline takes from
 * this receiver (others are 404). Valid items are forwarded in one batch; invalid ones are counted
 * as drops by reason and reported back with the first error. Refusals of the pipeline travel back
 * as 429/503 with Retry-After (the HTTP layer maps them).
 */
export class NissaReceiver extends HttpServerReceiver {
  private readonly decoder: NissaDecoder;
  protected readonly server: ReceiverHttpServer;

  constructor(private readonly ctx: ReceiverContext<NissaReceiverConfig>) {
    super();
    this.decoder = new NissaDecoder(ctx.series, decodeLimitsOf(ctx.config));
    const routes: Route[] = SIGNALS.filter((s) => ctx.output.signals.includes(s)).map((signal) => ({
      method: 'POST',
      path: `/v1/nissa/${signal}`,
      contentTypes: CONTENT_TYPES,
      handler: (req) => this.ingest(signal, req),
      errorBody: (status, message, contentType) => ingestAnswer(status, 0, 0, message, contentType),
    }));
    this.server = new ReceiverHttpServer(ctx, ctx.config, routes);
  }

  override async start(): Promise<void> {
    nissaSchema(); // JSON requests need the schema: fail at start, not at the first request.
    await super.start();
  }

  private async ingest(signal: Signal, req: ReceivedRequest): Promise<HttpAnswer> {
    const result = this.decoder.decode(signal, req.body, this.ctx.clock.now(), req.contentType === 'application/json');
    for (const [reason, n] of result.reasons) this.ctx.telemetry.dropped(n, reason);
    if (result.accepted === 0 && result.rejected > 0) {
      return ingestAnswer(400, 0, result.rejected, result.firstError, req.contentType);
    }
    if (result.accepted > 0) await this.ctx.output.consume(result.batch);
    return ingestAnswer(200, result.accepted, result.rejected, result.firstError, req.contentType);
  }
}
