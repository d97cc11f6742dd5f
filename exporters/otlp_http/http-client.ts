import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';
import type { Clock } from '../../src/api';
import type { OtlpHttpExporterConfig } from './config';

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** At most `maxBodyBytes` of the body; the rest is never read. */
  readonly body: Buffer;
}

/** The request did not complete within `request_timeout`. */
export class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out after ${ms} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** Reads the PEM files of the `tls` block (in `start`, never in `create`). */
export async function tlsAgentOptions(tls: OtlpHttpExporterConfig['tls']): Promise<AgentOptions> {
  const read = (path: string): Promise<Buffer | undefined> => (path === '' ? Promise.resolve(undefined) : readFile(path));
  const [ca, cert, key] = await Promise.all([read(tls.ca_file), read(tls.cert_file), read(tls.key_file)]);
  const options: AgentOptions = { minVersion: 'TLSv1.2', rejectUnauthorized: !tls.insecure_skip_verify };
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (key) options.key = key;
  return options;
}

/**
 * POSTs bodies over one keep-alive connection pool (http or https by the URL), with a time limit
 * on the whole exchange from the injected clock, and reads at most `maxBodyBytes` of the answer.
 */
export class HttpClient {
  private readonly agent: HttpAgent;

  constructor(
    secure: boolean,
    tls: AgentOptions,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly maxBodyBytes: number,
  ) {
    this.agent = secure ? new HttpsAgent({ ...tls, keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  post(url: URL, body: Buffer, headers: Record<string, string>): Promise<HttpReply> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<HttpReply>((resolve, reject) => {
      let done = false;
      const finish = (err: Error | undefined, reply?: HttpReply): void => {
        if (done) return;
        done = true;
        this.clock.clear(timer);
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
      const timer = this.clock.setTimeout(() => {
        const err = new RequestTimeoutError(this.timeoutMs);
        req.destroy(err);
        finish(err);
      }, this.timeoutMs);
      req.on('error', (err) => finish(err));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
