import type { MetricBatch } from '../../src/api';

/** Requests kept at most; a sender with several shards has about as many refused at once. */
const MAX_REQUESTS = 8;
/** Rows kept at most over all requests (about 20 bytes each), a bound on the memory this holds. */
const MAX_ROWS = 500_000;

interface Refused {
  readonly body: Buffer;
  readonly batch: MetricBatch;
}

/**
 * The last requests refused with back-pressure, with their decoded batches. Senders answer
 * 429/503 by sending the very same request again (Prometheus, vmagent, Grafana Agent all do), so
 * when the same bytes come back they are handed over without being inflated and decoded again.
 * Several, not one: a sender's shards are refused together and retry in any order.
 */
export class RefusedRequests {
  private kept: Refused[] = [];
  private rows = 0;

  /** The batch kept for exactly these bytes (forgotten here: it is offered again), or undefined. */
  take(body: Buffer): MetricBatch | undefined {
    const k = this.kept.findIndex((r) => r.body.length === body.length && r.body.equals(body));
    if (k < 0) return undefined;
    const [found] = this.kept.splice(k, 1);
    this.rows -= found!.batch.length;
    return found!.batch;
  }

  keep(body: Buffer, batch: MetricBatch): void {
    if (batch.length > MAX_ROWS) return;
    this.kept.push({ body, batch });
    this.rows += batch.length;
    while (this.kept.length > MAX_REQUESTS || this.rows > MAX_ROWS) this.rows -= this.kept.shift()!.batch.length;
  }

  /** Forgets everything (kept batches name series by id: once the table frees ids, they may name the wrong ones). */
  clear(): void {
    this.kept = [];
    this.rows = 0;
  }
}
