/**
 * A remote write load generator for the fault suite. Each client owns a few series and sends
 * requests one after the other; every sample's value is a unique id, increasing per series, so a
 * backend can tell what arrived, twice, or out of order. Every attempt is recorded with the answer
 * it got; an id is acknowledged once a request carrying it got a 2xx.
 */
import { remoteWriteBody } from './remote-write-body';

/** Ids of client `c` start at `c * ID_STRIDE` (exact as float64 far beyond any test). */
const ID_STRIDE = 1e9;

export interface LoadOptions {
  /** The collector's remote write URL. */
  readonly url: string;
  readonly clients: number;
  readonly seriesPerClient: number;
  readonly samplesPerRequest: number;
  /** Target rate over all clients; a client that waits for answers falls behind rather than bursting. */
  readonly itemsPerSecond: number;
  /** Resend a refused request (same ids) until it is acknowledged; otherwise move on. */
  readonly retry: boolean;
  /** Upper bound on a honoured Retry-After, so shortened runs stay short. */
  readonly maxRetryWaitMs?: number;
  readonly requestTimeoutMs?: number;
  /** Metric name of the generated series. */
  readonly metric?: string;
}

/**
 * What became of an attempt: `ok` (2xx, acknowledged); `refused` (429/5xx from the pipelines: the
 * receiver counted it); `shed` (refused before the body was read: emergency mode or shutdown, the
 * receiver did not count it); `bad` (other 4xx); `error` (no answer: connection refused, timeout).
 */
export type Outcome = 'ok' | 'refused' | 'shed' | 'bad' | 'error';

export interface LoadReport {
  /** Acknowledged ids. */
  readonly acked: number[];
  /** Items per outcome, over all attempts. */
  readonly items: Record<Outcome, number>;
  /** Attempts per HTTP status (0 = no answer). */
  readonly statuses: Map<number, number>;
  /** Requests given up on (retry off, or still refused when the drain deadline passed). */
  readonly abandoned: number;
}

const SHED = /shedding load|shutting down/;

export class LoadGenerator {
  private readonly acked: number[] = [];
  private readonly items: Record<Outcome, number> = { ok: 0, refused: 0, shed: 0, bad: 0, error: 0 };
  private readonly statuses = new Map<number, number>();
  private abandoned = 0;
  private producing = true;
  private giveUpAt = Infinity;
  private readonly loops: Promise<void>[];
  private readonly t0 = Date.now();

  constructor(private readonly opts: LoadOptions) {
    this.loops = Array.from({ length: opts.clients }, (_, c) => this.client(c));
  }

  /** Items acknowledged so far. */
  get ackedCount(): number {
    return this.acked.length;
  }

  /**
   * Stops producing new requests; requests still being retried go on until acknowledged or until
   * `retryForMs` has passed. Resolves with the report once every client is done.
   */
  async stop(retryForMs = 0): Promise<LoadReport> {
    this.producing = false;
    this.giveUpAt = Date.now() + retryForMs;
    await Promise.all(this.loops);
    return { acked: [...this.acked], items: { ...this.items }, statuses: new Map(this.statuses), abandoned: this.abandoned };
  }

  private async client(c: number): Promise<void> {
    const o = this.opts;
    const intervalMs = (o.clients * o.samplesPerRequest * 1000) / o.itemsPerSecond;
    let next = Date.now() + Math.random() * intervalMs;
    for (let r = 0; this.producing; r++) {
      await sleep(next - Date.now());
      next = Math.max(Date.now(), next + intervalMs);
      const first = c * ID_STRIDE + r * o.samplesPerRequest;
      const body = this.encode(c, first);
      for (;;) {
        const { outcome, retryAfterMs } = await this.attempt(body, o.samplesPerRequest);
        if (outcome === 'ok') {
          for (let i = 0; i < o.samplesPerRequest; i++) this.acked.push(first + i);
          break;
        }
        if (!o.retry || outcome === 'bad' || Date.now() > this.giveUpAt) {
          this.abandoned++;
          break;
        }
        await sleep(Math.min(retryAfterMs ?? 100, o.maxRetryWaitMs ?? Infinity));
      }
    }
  }

  private async attempt(body: Buffer, n: number): Promise<{ outcome: Outcome; retryAfterMs?: number }> {
    let outcome: Outcome;
    let status = 0;
    let retryAfterMs: number | undefined;
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0' },
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 60_000),
      });
      const text = await res.text();
      status = res.status;
      const retryAfter = Number(res.headers.get('retry-after'));
      if (retryAfter > 0) retryAfterMs = retryAfter * 1000;
      if (res.ok) outcome = 'ok';
      else if (SHED.test(text)) outcome = 'shed';
      else if (status === 429 || status >= 500) outcome = 'refused';
      else outcome = 'bad';
    } catch {
      outcome = 'error';
    }
    this.items[outcome] += n;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    return retryAfterMs === undefined ? { outcome } : { outcome, retryAfterMs };
  }

  /** One request of client `c`: sample i goes to series i mod seriesPerClient, value = id, timestamps increasing. */
  private encode(c: number, firstId: number): Buffer {
    const o = this.opts;
    const series = Array.from({ length: o.seriesPerClient }, (_, s) => ({
      labels: [
        { name: '__name__', value: o.metric ?? 'fault_load' },
        { name: 'client', value: String(c) },
        { name: 'series', value: String(s) },
      ],
      samples: [] as { value: number; timestamp: number }[],
    }));
    const base = firstId - c * ID_STRIDE;
    for (let i = 0; i < o.samplesPerRequest; i++) {
      series[(base + i) % o.seriesPerClient]!.samples.push({ value: firstId + i, timestamp: this.t0 + base + i });
    }
    const timeseries = series.filter((s) => s.samples.length > 0);
    return remoteWriteBody({ timeseries });
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

export function startLoad(opts: LoadOptions): LoadGenerator {
  return new LoadGenerator(opts);
}
