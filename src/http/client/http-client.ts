import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import type { Clock, TimerHandle } from '../../api';

/** An answer of the server: status, headers and the start of the body. */
export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** At most `maxBodyBytes` of the body; the rest is never read. */
  readonly body: Buffer;
}

/** The request did not complete within the client's time limit. */
export class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out after ${ms} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export interface HttpClientOptions {
  /** Pool https connections (with `tls`) instead of plain http ones. */
  readonly secure: boolean;
  /** Agent options of https connections (CA, client certificate, verification); see tlsAgentOptions. */
  readonly tls?: AgentOptions;
  /** Most concurrent connections (default: unlimited); further requests wait in the agent's queue. */
  readonly maxSockets?: number;
  readonly clock: Clock;
  /** Time limit of one exchange, from the moment the request has a socket. */
  readonly timeoutMs: number;
  /** Bytes of a response body kept; an error page cannot make an exporter buffer megabytes. */
  readonly maxBodyBytes: number;
}

/**
 * The exporters' HTTP client: POSTs bodies over one keep-alive connection pool (http or https by
 * the URL), with a time limit from the injected clock, and reads at most `maxBodyBytes` of the
 * answer. Transport failures (refused connection, reset, timeout) reject; every HTTP status
 * resolves, for the exporter to classify (see classify.ts).
 */
export class HttpClient {
  private readonly agent: HttpAgent;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(opts: HttpClientOptions) {
    const pool = { keepAlive: true, ...(opts.maxSockets === undefined ? {} : { maxSockets: opts.maxSockets }) };
    this.agent = opts.secure ? new HttpsAgent({ ...opts.tls, ...pool }) : new HttpAgent(pool);
    this.clock = opts.clock;
    this.timeoutMs = opts.timeoutMs;
    this.maxBodyBytes = opts.maxBodyBytes;
  }

  post(url: URL, body: Buffer, headers: Record<string, string>): Promise<HttpReply> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<HttpReply>((resolve, reject) => {
      let done = false;
      let timer: TimerHandle | undefined;
      const finish = (err: Error | undefined, reply?: HttpReply): void => {
        if (done) return;
        done = true;
        if (timer) this.clock.clear(timer);
        if (err) reject(err);
        else resolve(reply!);
      };
      const req = send(url, { method: 'POST', agent: this.agent, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const reply = (): HttpReply => ({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        res.on('data', (chunk: Buffer) => {
          const part = chunk.subarray(0, this.maxBodyBytes - kept);
          if (part.length > 0) chunks.push(part);
          kept += part.length;
          if (kept < this.maxBodyBytes) return;
          // Enough to report: answer now and drop the connection instead of reading the rest.
          finish(undefined, reply());
          res.destroy();
        });
        res.on('end', () => finish(undefined, reply()));
        res.on('error', (err) => finish(err));
        res.on('aborted', () => finish(new Error('response aborted')));
      });
      // Timed from the moment the request has a socket: waiting in the agent's queue behind other
      // requests (more senders than sockets) is not the backend being slow, and timing it out
      // would send the same data again while the first request still goes through.
      req.once('socket', () => {
        if (done) return;
        timer = this.clock.setTimeout(() => {
          const err = new RequestTimeoutError(this.timeoutMs);
          req.destroy(err);
          finish(err);
        }, this.timeoutMs);
      });
      req.on('error', (err) => finish(err));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
