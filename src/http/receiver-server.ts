import { createServer as createHttpServer, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Counter } from '@opentelemetry/api';
import type { ComponentContext } from '../api/plugin';
import { parseSize } from '../api/duration';
import { mediaTypeOf, writeAnswer } from './answer';
import { bearerChecker } from './bearer-auth';
import { readBoundedBody } from './body-reader';
import { HttpError, httpStatusForError, isUnexpectedStatus } from './errors-to-http';
import { parseEndpoint } from '../api/endpoint';
import type { HttpServerConfig } from './server-config';
import { loadTlsOptions } from './tls-options';
import { OnceLogger } from './once-logger';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** Media type, lower-cased, without parameters (`application/x-protobuf`). */
  readonly contentType: string;
  /** Already decompressed and bounded by `max_request_body_size`. */
  readonly body: Buffer;
  readonly headers: IncomingHttpHeaders;
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType?: string;
  readonly body?: Buffer | string;
  readonly headers?: Record<string, string>;
}

export type RouteHandler = (req: ReceivedRequest) => Promise<HttpAnswer>;

export interface Route {
  readonly method: 'POST' | 'GET';
  readonly path: string;
  /** Accepted media types; others get 415. All are accepted when absent. */
  readonly contentTypes?: readonly string[];
  readonly handler: RouteHandler;
  /** Protocol-specific error body (e.g. OTLP's google.rpc.Status); plain text when absent. */
  readonly errorBody?: (status: number, message: string, contentType: string) => HttpAnswer;
  /**
   * Content-Encodings handed to the handler still encoded (e.g. `snappy` for remote write, whose
   * handler inflates with its own bound); the size cap then applies to the encoded bytes.
   */
  readonly rawEncodings?: readonly string[];
}

/** Retry-After sent while the collector sheds load in emergency mode. */
const EMERGENCY_RETRY_AFTER_S = 5;
/** How long shutdown waits for in-flight requests before cutting connections. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * The HTTP(S) server behind every HTTP receiver: binds, authenticates, refuses early (404, 405,
 * 401, 503 in emergency, 415, 413), reads and decompresses a bounded body, calls the route, and
 * maps errors to statuses with {@link httpStatusForError}. Handlers only see valid requests.
 */
export class ReceiverHttpServer {
  private server: Server | undefined;
  private stopping = false;
  private readonly routes = new Map<string, Route[]>();
  private readonly maxBodyBytes: number;
  private readonly checkToken: ((authorization: string | undefined) => boolean) | undefined;
  private readonly requests: Counter;
  private readonly unexpected: OnceLogger;

  constructor(private readonly ctx: ComponentContext<unknown>, private readonly config: HttpServerConfig, routes: readonly Route[]) {
    for (const route of routes) {
      const list = this.routes.get(route.path) ?? [];
      list.push(route);
      this.routes.set(route.path, list);
    }
    this.maxBodyBytes = parseSize(config.max_request_body_size);
    const token = config.auth?.bearer_token;
    this.checkToken = token ? bearerChecker(token) : undefined;
    this.requests = ctx.meter.createCounter('nissa_receiver_http_requests_total', {
      description: 'HTTP requests answered by a receiver, by status code.',
    });
    this.unexpected = new OnceLogger(ctx.logger);
  }

  async start(): Promise<void> {
    const { host, port } = parseEndpoint(this.config.endpoint);
    const listener = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    const server = this.config.tls ? createHttpsServer(await loadTlsOptions(this.config.tls), listener) : createHttpServer(listener);
    server.keepAliveTimeout = 5_000;
    server.headersTimeout = 15_000;
    server.requestTimeout = 60_000;
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => this.onClientError(err, socket));
    // TLS handshake failures (no or untrusted client certificate) are the client's problem.
    server.on('tlsClientError', () => this.count(0));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: Error) => {
      throw new Error(`${this.ctx.id}: cannot listen on ${this.config.endpoint}: ${err.message}`);
    });
    server.on('error', (err) => this.ctx.logger.error('http server error', { error: err.message }));
    this.server = server;
    this.ctx.logger.info('listening', { endpoint: this.address(), tls: this.config.tls !== undefined, auth: this.checkToken !== undefined });
  }

  /** Stops accepting, lets in-flight requests finish for a short grace, then cuts what is left. */
  async shutdown(): Promise<void> {
    const server = this.server;
    if (!server || this.stopping) return;
    this.stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([closed, grace]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  }

  /** `host:port` actually bound (the configured endpoint before start). */
  address(): string {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    if (!addr) return this.config.endpoint;
    return addr.family === 'IPv6' ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let route: Route | undefined;
    const contentType = mediaTypeOf(req.headers['content-type']);
    try {
      if (this.stopping) {
        res.shouldKeepAlive = false;
        throw new HttpError(503, 'receiver is shutting down', 1);
      }
      if (this.checkToken && !this.checkToken(req.headers.authorization)) throw new HttpError(401, 'missing or invalid bearer token');
      const path = pathOf(req.url);
      const candidates = this.routes.get(path);
      if (!candidates) throw new HttpError(404, 'not found');
      route = candidates.find((r) => r.method === req.method);
      if (!route) {
        res.setHeader('Allow', candidates.map((r) => r.method).join(', '));
        throw new HttpError(405, `method ${String(req.method).slice(0, 16)} not allowed`);
      }
      // Shed load before spending anything on the body.
      if (this.ctx.host.mode() === 'emergency') throw new HttpError(503, 'collector is shedding load', EMERGENCY_RETRY_AFTER_S);
      if (route.contentTypes && !route.contentTypes.includes(contentType)) {
        throw new HttpError(415, `unsupported content-type "${contentType.slice(0, 64)}"; expected ${route.contentTypes.join(' or ')}`);
      }
      const body = await readBoundedBody(req, this.maxBodyBytes, route.rawEncodings);
      const answer = await route.handler({ method: req.method!, path, contentType, body, headers: req.headers });
      this.send(req, res, answer);
    } catch (err) {
      this.sendError(req, res, err, route, contentType);
    }
  }

  private sendError(req: IncomingMessage, res: ServerResponse, err: unknown, route: Route | undefined, contentType: string): void {
    const mapped = httpStatusForError(err);
    if (isUnexpectedStatus(mapped.status)) this.unexpected.error('request handler failed', err);
    const answer = route?.errorBody?.(mapped.status, mapped.message, contentType) ?? {
      status: mapped.status,
      contentType: 'text/plain; charset=utf-8',
      body: `${mapped.message}\n`,
    };
    const headers: Record<string, string> = { ...answer.headers };
    if (mapped.retryAfterSeconds !== undefined) headers['Retry-After'] = String(mapped.retryAfterSeconds);
    if (mapped.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="nissa"';
    this.send(req, res, { ...answer, status: mapped.status, headers });
  }

  private send(req: IncomingMessage, res: ServerResponse, answer: HttpAnswer): void {
    this.count(answer.status);
    writeAnswer(req, res, answer);
  }

  /** Requests the HTTP parser refused (bad syntax, headers too large, timeouts): answer if we still can. */
  private onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    this.count(status);
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  /** Status 0 counts connections refused before HTTP (TLS handshake failures). */
  private count(status: number): void {
    this.requests.add(1, { status: String(status), receiver: this.ctx.id });
  }
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}
