import { request } from 'node:http';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Clock } from '../api';

/** What Prometheus 2.x sends: OpenMetrics preferred, then the text format. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface ScrapeRequest {
  readonly url: string;
  readonly timeoutMs: number;
  /** Largest body accepted after decompression; larger fails the scrape. */
  readonly bodyLimit: number;
  readonly clock: Clock;
}

export interface ScrapeResponse {
  readonly body: string;
  readonly openMetrics: boolean;
}

/**
 * GETs a metrics endpoint with a deadline (on the given clock) and a body size bound, gunzipping
 * when the server compressed. Rejects on non-2xx, timeout, oversize or network errors.
 */
export function fetchExposition(req: ScrapeRequest): Promise<ScrapeResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, res?: ScrapeResponse) => {
      if (settled) return;
      settled = true;
      req.clock.clear(timer);
      if (err) {
        httpReq.destroy();
        reject(err);
      } else resolve(res!);
    };
    const timer = req.clock.setTimeout(() => finish(new Error(`scrape timed out after ${req.timeoutMs}ms`)), req.timeoutMs);
    timer.unref();
    const httpReq = request(req.url, {
      method: 'GET',
      headers: {
        Accept: SCRAPE_ACCEPT,
        'Accept-Encoding': 'gzip',
        'User-Agent': 'nissa',
        'X-Prometheus-Scrape-Timeout-Seconds': String(req.timeoutMs / 1000),
      },
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        res.resume();
        return finish(new Error(`server returned HTTP status ${status}`));
      }
      const openMetrics = /^application\/openmetrics-text/i.test(String(res.headers['content-type'] ?? ''));
      const stream: Readable = /\bgzip\b/i.test(String(res.headers['content-encoding'] ?? '')) ? res.pipe(createGunzip()) : res;
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > req.bodyLimit) finish(new Error(`body exceeds body_size_limit of ${req.bodyLimit} bytes`));
        else chunks.push(chunk);
      });
      stream.on('end', () => finish(undefined, { body: Buffer.concat(chunks).toString('utf8'), openMetrics }));
      stream.on('error', (err) => finish(err));
      res.on('error', (err) => finish(err));
    });
    httpReq.on('error', (err) => finish(err));
    httpReq.end();
  });
}
