import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';

export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface TestRequest {
  readonly address: string;
  readonly path: string;
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: Buffer | string;
  /** Write only this many bytes of `body` and wait for the answer without ending the request. */
  readonly partial?: boolean;
  readonly tls?: RequestOptions;
}

/** One request on a fresh connection (no agent), resolving with the full answer. */
export function send(r: TestRequest): Promise<TestResponse> {
  const [host, port] = splitAddress(r.address);
  const opts = { host, port, path: r.path, method: r.method ?? 'POST', headers: r.headers ?? {}, agent: false as const };
  return new Promise((resolve, reject) => {
    const req = r.tls ? httpsRequest({ ...opts, ...r.tls }) : httpRequest(opts);
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) });
        if (r.partial) req.destroy();
      });
      res.on('error', reject);
    });
    if (r.body !== undefined) req.write(r.body);
    if (!r.partial) req.end();
  });
}

export function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), Number(address.slice(i + 1))];
}
