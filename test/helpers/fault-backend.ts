/**
 * A remote write backend for the fault suite: it decodes every request with the reference
 * WriteRequest type, records the ids it stored (the load generator carries ids as sample values),
 * and misbehaves on demand: down (connections refused), slow, limited in throughput, or answering
 * chosen statuses. The oracle reads what it stored: unique ids, duplicates, per-series order.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { uncompress } from 'snappy';
import { loadWriteRequestType } from '../../src/prometheus/remote-write/reference-schema';

const WriteRequest = loadWriteRequestType();

/** One request as the backend saw it, before it decided how to answer. */
export interface BackendRequest {
  /** 1-based count of decoded requests. */
  readonly n: number;
  readonly ids: readonly number[];
}

/** How to answer a request; `undefined` from a policy means store it and answer 204. */
export interface BackendAnswer {
  readonly status: number;
  readonly retryAfterSeconds?: number;
}

export type AnswerPolicy = (req: BackendRequest) => BackendAnswer | undefined;

export interface FaultBackendOptions {
  /** Delay before each answer (a slow backend). */
  delayMs?: number;
  /** Samples per second the backend stores at most: requests are processed one at a time, each taking samples / rate. 0 = unlimited. */
  samplesPerSecond?: number;
  answer?: AnswerPolicy;
}

interface SeriesState {
  max: number;
}

export class FaultBackend {
  /** Ids stored, with how many times each arrived. */
  readonly stored = new Map<number, number>();
  /** Ids in requests answered with a 4xx other than 429: refused for good. */
  readonly rejected = new Set<number>();
  /** Samples stored again (an id that had already arrived). */
  duplicates = 0;
  /** New ids that arrived after a larger id of the same series. */
  outOfOrder = 0;
  readonly answered = new Map<number, number>();
  private readonly series = new Map<string, SeriesState>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;
  private requests = 0;
  private serial: Promise<void> = Promise.resolve();
  /** Each waiter's ids not stored yet, shrunk as ids arrive (no rescan per request). */
  private waiters: { pending: Set<number>; resolve: () => void }[] = [];

  constructor(private opts: FaultBackendOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/v1/write`;
  }

  /** Changes the behaviour while running. */
  set(opts: FaultBackendOptions): void {
    this.opts = opts;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(Buffer.concat(chunks), res));
    });
    server.keepAliveTimeout = 1000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts every connection: senders get ECONNREFUSED until {@link start}. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  stop(): Promise<void> {
    return this.down();
  }

  /** Resolves once every id in `ids` was stored (pass acknowledged ids minus {@link rejected}); rejects after `timeoutMs` naming how many are missing. */
  waitForIds(ids: Iterable<number>, timeoutMs: number): Promise<void> {
    const pending = new Set<number>();
    let total = 0;
    for (const id of ids) {
      total++;
      if (!this.stored.has(id)) pending.add(id);
    }
    if (pending.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { pending, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const some = [...pending].slice(0, 10).join(', ');
        reject(new Error(`backend: ${pending.size} of ${total} ids still missing after ${timeoutMs} ms (e.g. ${some})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private async handle(body: Buffer, res: ServerResponse): Promise<void> {
    let decoded: { series: string; ids: number[] }[];
    try {
      decoded = decode((await uncompress(body, { asBuffer: true })) as Buffer);
    } catch (err) {
      this.reply(res, 400, undefined, String((err as Error).message));
      return;
    }
    const ids = decoded.flatMap((s) => s.ids);
    const answer = this.opts.answer?.({ n: ++this.requests, ids });
    if (this.opts.delayMs) await sleep(this.opts.delayMs);
    if (this.opts.samplesPerSecond) await this.throttle(ids.length, this.opts.samplesPerSecond);
    if (answer && (answer.status < 200 || answer.status >= 300)) {
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) for (const id of ids) this.rejected.add(id);
      this.reply(res, answer.status, answer.retryAfterSeconds, 'injected failure');
      return;
    }
    // Stored even if the sender gave up waiting: a real backend keeps what it received.
    for (const s of decoded) this.store(s.series, s.ids);
    this.reply(res, 204);
    this.waiters = this.waiters.filter((w) => (w.pending.size === 0 ? (w.resolve(), false) : true));
  }

  /** One request at a time, each taking its share of the backend's capacity. */
  private throttle(samples: number, perSecond: number): Promise<void> {
    const turn = this.serial.then(() => sleep((samples / perSecond) * 1000));
    this.serial = turn;
    return turn;
  }

  private store(series: string, ids: readonly number[]): void {
    let state = this.series.get(series);
    if (!state) this.series.set(series, (state = { max: -Infinity }));
    for (const id of ids) {
      const seen = this.stored.get(id) ?? 0;
      this.stored.set(id, seen + 1);
      if (seen > 0) this.duplicates++;
      else {
        if (id < state.max) this.outOfOrder++;
        for (const w of this.waiters) w.pending.delete(id);
      }
      state.max = Math.max(state.max, id);
    }
  }

  private reply(res: ServerResponse, status: number, retryAfterSeconds?: number, text?: string): void {
    this.answered.set(status, (this.answered.get(status) ?? 0) + 1);
    if (res.destroyed) return;
    const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) };
    res.writeHead(status, headers).end(text ?? '');
  }
}

/** Series (labels joined) with the sample values, in request order. */
function decode(raw: Buffer): { series: string; ids: number[] }[] {
  const msg = WriteRequest.decode(raw) as unknown as { timeseries?: { labels?: { name: string; value: string }[]; samples?: { value: number }[] }[] };
  return (msg.timeseries ?? []).map((ts) => ({
    series: (ts.labels ?? []).map((l) => `${l.name}=${l.value}`).join(','),
    ids: (ts.samples ?? []).map((s) => s.value),
  }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startFaultBackend(opts: FaultBackendOptions = {}): Promise<FaultBackend> {
  const b = new FaultBackend(opts);
  await b.start();
  return b;
}
