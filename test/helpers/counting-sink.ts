/**
 * A remote write endpoint for tests and benches: inflates each request, counts samples and
 * checks that every series' timestamps only move forward. It can answer with chosen statuses
 * (failure injection) and can record what it got. Stop it with `stop()`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uncompress } from 'snappy';
import { ProtoReader } from '../../src/prometheus/remote-write/proto-reader';

export interface SinkAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordedSample {
  labels: Record<string, string>;
  timestamp: number;
  value: number;
}

export interface CountingSinkOptions {
  /** Called per request (1-based); an answer replaces the normal 204 and the request is not counted. */
  respond?: (n: number, headers: IncomingHttpHeaders) => SinkAnswer | undefined;
  /** Keep every sample with its labels (tests; not for benches). */
  record?: boolean;
}

export interface CountingSink {
  readonly url: string;
  /** Samples accepted (counted) so far. */
  readonly samples: number;
  readonly requests: number;
  /** Samples whose timestamp was lower than the previous one of the same series. */
  readonly outOfOrder: number;
  /** Distinct series seen. */
  readonly series: number;
  readonly recorded: RecordedSample[];
  readonly lastHeaders: IncomingHttpHeaders | undefined;
  waitFor(samples: number, timeoutMs?: number): Promise<void>;
  reset(): void;
  stop(): Promise<void>;
}

export async function startCountingSink(opts: CountingSinkOptions = {}): Promise<CountingSink> {
  const lastTs = new Map<string, number>();
  const recorded: RecordedSample[] = [];
  let samples = 0;
  let requests = 0;
  let outOfOrder = 0;
  let calls = 0;
  let lastHeaders: IncomingHttpHeaders | undefined;
  let waiters: { n: number; resolve: () => void }[] = [];

  const count = (body: Buffer): void => {
    const r = new ProtoReader(body);
    while (r.pos < body.length) {
      const tag = r.varint(body.length);
      if (tag !== 0x0a) {
        r.skip(tag & 7, body.length);
        continue;
      }
      const end = r.delimitedEnd(body.length);
      countSeries(r, end);
      r.pos = end;
    }
  };

  const countSeries = (r: ProtoReader, end: number): void => {
    let labelStart = -1;
    let labelEnd = -1;
    const sampleAt: number[] = [];
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.varint(end);
      const stop = tag === 0x0a || tag === 0x12 ? r.delimitedEnd(end) : -1;
      if (stop < 0) r.skip(tag & 7, end);
      else {
        if (tag === 0x0a) {
          if (labelStart < 0) labelStart = at;
          labelEnd = stop;
        } else sampleAt.push(r.pos, stop);
        r.pos = stop;
      }
    }
    const key = r.buf.toString('latin1', labelStart, labelEnd);
    let last = lastTs.get(key) ?? -Infinity;
    const labels = opts.record ? decodeLabels(r.buf, labelStart, labelEnd) : undefined;
    for (let i = 0; i < sampleAt.length; i += 2) {
      r.pos = sampleAt[i]!;
      let ts = 0;
      let value = 0;
      while (r.pos < sampleAt[i + 1]!) {
        const t = r.varint(end);
        if (t === 0x09) {
          value = r.buf.readDoubleLE(r.pos);
          r.pos += 8;
        } else if (t === 0x10) ts = r.varint(end);
        else r.skip(t & 7, end);
      }
      if (ts < last) outOfOrder++;
      last = ts;
      samples++;
      if (labels) recorded.push({ labels, timestamp: ts, value });
    }
    lastTs.set(key, last);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    calls++;
    lastHeaders = req.headers;
    const answer = opts.respond?.(calls, req.headers);
    if (answer) {
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
      return;
    }
    try {
      count((await uncompress(Buffer.concat(chunks), { asBuffer: true })) as Buffer);
    } catch (err) {
      res.writeHead(400);
      res.end(String((err as Error).message));
      return;
    }
    requests++;
    res.writeHead(204);
    res.end();
    waiters = waiters.filter((w) => (w.n <= samples ? (w.resolve(), false) : true));
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    get samples() { return samples; },
    get requests() { return requests; },
    get outOfOrder() { return outOfOrder; },
    get series() { return lastTs.size; },
    get lastHeaders() { return lastHeaders; },
    recorded,
    waitFor(n, timeoutMs = 10_000) {
      if (samples >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sink timed out waiting for ${n} samples, have ${samples}`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    reset() {
      lastTs.clear();
      recorded.length = 0;
      samples = 0;
      requests = 0;
      outOfOrder = 0;
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function decodeLabels(buf: Buffer, start: number, end: number): Record<string, string> {
  const out: Record<string, string> = {};
  const r = new ProtoReader(buf);
  r.pos = start;
  while (r.pos < end) {
    r.varint(end);
    const stop = r.delimitedEnd(end);
    let name = '';
    let value = '';
    while (r.pos < stop) {
      const t = r.varint(stop);
      const s = r.delimitedEnd(stop);
      if (t === 0x0a) name = buf.toString('utf8', r.pos, s);
      else value = buf.toString('utf8', r.pos, s);
      r.pos = s;
    }
    out[name] = value;
  }
  return out;
}
