import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { Clock, TimerHandle } from '../../src/api';

export interface PostResult {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** At most `maxBodyBytes` of the response body; the rest is discarded. */
  readonly body: Buffer;
}

/** Raised when a request does not complete in time. */
export class RequestTimeoutError extends Error {}

/**
 * POSTs a body over a keep-alive connection pool and reads at most `maxBodyBytes` of the
 * response (an error page cannot make us buffer megabytes). Times out with the injected clock.
 */
export class HttpPoster {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(endpoint: string, maxSockets: number, private readonly clock: Clock, private readonly timeoutMs: number, private readonly maxBodyBytes: number) {
    this.url = new URL(endpoint);
    const secure = this.url.protocol === 'https:';
    this.agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets }) : new HttpAgent({ keepAlive: true, maxSockets });
    this.send = secure ? httpsRequest : httpRequest;
  }

  post(body: Buffer, headers: Record<string, string>): Promise<PostResult> {
    return new Promise<PostResult>((resolve, reject) => {
      let done = false;
      const finish = (err: Error | undefined, result?: PostResult): void => {
        if (done) return;
        done = true;
        if (timer) this.clock.clear(timer);
        if (err) reject(err);
        else resolve(result!);
      };
      const req = this.send(this.url, { method: 'POST', agent: this.agent, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const result = (): PostResult => ({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        res.on('data', (chunk: Buffer) => {
          const part = chunk.subarray(0, this.maxBodyBytes - kept);
          chunks.push(part);
          kept += part.length;
          if (kept < this.maxBodyBytes) return;
          // Enough for the log: answer now and drop the connection instead of reading the rest.
          finish(undefined, result());
          res.destroy();
        });
        res.on('end', () => finish(undefined, result()));
        res.on('error', (err) => finish(err));
        res.on('aborted', () => finish(new Error('response aborted')));
      });
      // Timed from the moment the request has a socket: waiting in the agent's queue behind other
      // requests (more queue consumers than sockets) is not the backend being slow, and timing it
      // out would send the same samples again while the first request still goes through.
      let timer: TimerHandle | undefined;
      req.once('socket', () => {
        if (done) return;
        timer = this.clock.setTimeout(() => {
          const err = new RequestTimeoutError(`request timed out after ${this.timeoutMs} ms`);
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
