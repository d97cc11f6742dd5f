/**
 * A remote write endpoint for tests and benches: inflates each request, counts samples and
 * checks that every series' timestamps only move forward. Cheap per sample (no label strings
 * decoded unless recording), so it is not what bounds a relay bench. It can answer with chosen statuses
 * (failure injection) and can record what it got. Stop it with `stop()`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uncompressSync } from 'snappy';
import { capacityFor, growF64 } from '../../src/api';
import { ByteKeyIndex } from '../../src/prometheus/remote-write/byte-key-index';
import { ProtoReader } from '../../src/prometheus/remote-write/proto-reader';
import { LabelGatherer, SampleReader } from '../../src/prometheus/remote-write/time-series-parts';

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
  const counter = new SampleCounter(opts.record === true);
  let calls = 0;
  let lastHeaders: IncomingHttpHeaders | undefined;
  let waiters: { n: number; resolve: () => void }[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    calls++;
    lastHeaders = req.headers;
    const answer = opts.respond?.(calls, req.headers);
    if (answer) {
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
      return;
    }
    // Synchronous inflate: the sink's own time is what bounds a bench's ceiling, and the
    // thread-pool round trip of the async variant costs more than inflating ~2 MB here.
    try {
      counter.count(uncompressSync(body, { asBuffer: true }) as Buffer);
    } catch (err) {
      res.writeHead(400);
      res.end(String((err as Error).message));
      return;
    }
    res.writeHead(204);
    res.end();
    if (waiters.length > 0) waiters = waiters.filter((w) => (w.n <= counter.samples ? (w.resolve(), false) : true));
  };

  const server = createServer((req, res) => readBody(req, (body) => handle(req, res, body)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    get samples() { return counter.samples; },
    get requests() { return counter.requests; },
    get outOfOrder() { return counter.outOfOrder; },
    get series() { return counter.series; },
    get lastHeaders() { return lastHeaders; },
    recorded: counter.recorded,
    waitFor(n, timeoutMs = 10_000) {
      if (counter.samples >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sink timed out waiting for ${n} samples, have ${counter.samples}`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    reset() {
      counter.reset();
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The whole body in one buffer (sized from Content-Length when given), then `done`. */
function readBody(req: IncomingMessage, done: (body: Buffer) => void): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isSafeInteger(declared) && declared >= 0) {
    const body = Buffer.allocUnsafe(declared);
    let at = 0;
    req.on('data', (c: Buffer) => (at += c.copy(body, at)));
    req.on('end', () => done(body.subarray(0, at)));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => done(Buffer.concat(chunks)));
}

/**
 * Counts the samples of WriteRequests and checks per-series order without decoding label
 * strings: each series is known by its raw label bytes ({@link ByteKeyIndex}, exact), its last
 * timestamp kept in a typed array.
 */
class SampleCounter {
  samples = 0;
  requests = 0;
  outOfOrder = 0;
  readonly recorded: RecordedSample[] = [];
  private readonly keys = new ByteKeyIndex();
  private lastTs = new Float64Array(1024);
  private readonly gatherer = new LabelGatherer();
  private readonly sampleReader = new SampleReader();
  /** Where the last series' label bytes are (for recording). */
  private keyBuf: Buffer = Buffer.alloc(0);
  private keyStart = 0;
  private keyEnd = 0;

  constructor(private readonly record: boolean) {}

  get series(): number {
    return this.keys.size;
  }

  count(body: Buffer): void {
    const r = new ProtoReader(body);
    const view = new DataView(body.buffer, body.byteOffset, body.length);
    this.keys.beginRequest();
    try {
      for (let end = r.nextDelimited(0x0a, body.length); end >= 0; end = r.nextDelimited(0x0a, body.length)) {
        this.countSeries(r, view, end);
        r.pos = end;
      }
    } finally {
      this.keys.endRequest();
    }
    this.requests++;
  }

  reset(): void {
    this.keys.clear();
    this.recorded.length = 0;
    this.samples = 0;
    this.requests = 0;
    this.outOfOrder = 0;
  }

  private countSeries(r: ProtoReader, view: DataView, end: number): void {
    const start = r.pos;
    let labelStart = -1;
    let labelEnd = -1;
    let contiguous = true;
    let firstSample = -1;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.varint(end);
      if (tag === 0x0a || tag === 0x12) {
        const stop = r.delimitedEnd(end);
        if (tag === 0x12) {
          if (firstSample < 0) firstSample = at;
        } else if (labelStart < 0) labelStart = at;
        else if (labelEnd !== at) contiguous = false;
        if (tag === 0x0a) labelEnd = stop;
        r.pos = stop;
      } else r.skip(tag & 7, end);
    }
    const key = this.seriesKey(r, start, end, labelStart, labelEnd, contiguous);
    let last = this.lastTs[key]!;
    const labels = this.record ? decodeLabels(this.keyBuf, this.keyStart, this.keyEnd) : undefined;
    if (firstSample < 0) return;
    r.pos = firstSample;
    for (let stop = r.nextDelimited(0x12, end); stop >= 0; stop = r.nextDelimited(0x12, end)) {
      const value = this.sampleReader.read(r, view, stop);
      const ts = this.sampleReader.timestamp;
      if (ts < last) this.outOfOrder++;
      last = ts;
      this.samples++;
      if (labels) this.recorded.push({ labels, timestamp: ts, value });
    }
    this.lastTs[key] = last;
  }

  /** The series' number from its label bytes (gathered first when other fields split them). */
  private seriesKey(r: ProtoReader, start: number, end: number, labelStart: number, labelEnd: number, contiguous: boolean): number {
    let buf = r.buf;
    if (labelStart < 0) {
      labelStart = labelEnd = start;
    } else if (!contiguous) {
      labelEnd = this.gatherer.gather(r, start, end);
      buf = this.gatherer.buf;
      labelStart = 0;
    }
    this.keyBuf = buf;
    this.keyStart = labelStart;
    this.keyEnd = labelEnd;
    let key = this.keys.hint();
    let h = 0;
    if (key < 0 || !this.keys.matches(key, buf, labelStart, labelEnd)) {
      h = this.keys.hash(buf, labelStart, labelEnd);
      key = this.keys.lookup(buf, labelStart, labelEnd, h);
    }
    if (key < 0) {
      key = this.keys.add(buf, labelStart, labelEnd, h);
      if (key >= this.lastTs.length) this.lastTs = growF64(this.lastTs, capacityFor(this.lastTs.length, key + 1));
      this.lastTs[key] = -Infinity;
    }
    this.keys.settle(key);
    return key;
  }
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
