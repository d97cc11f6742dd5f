import type { MetricBatch } from '../../src/api';

/** Requests kept at most; a sender with several shards has about as many refused at once. */
const MAX_REQUESTS = 8;
/** Memory kept at most over all requests: bodies and the column buffers their batches hold. */
const MAX_BYTES = 32 * 1024 * 1024;

interface Refused {
  readonly body: Buffer;
  readonly batch: MetricBatch;
  readonly bytes: number;
}

/**
 * What keeping a request holds alive: its body and its batch's column buffers, whole (a batch's
 * columns can be views of buffers sized for an earlier, larger request).
 */
function bytesHeld(body: Buffer, batch: MetricBatch): number {
  const buffers = new Set<ArrayBufferLike>([batch.series.buffer, batch.timestamps.buffer, batch.values.buffer]);
  if (batch.startTimes) buffers.add(batch.startTimes.buffer);
  let bytes = body.length;
  for (const b of buffers) bytes += b.byteLength;
  return bytes;
}

/**
 * The last requests refused with back-pressure, with their decoded batches. Senders answer
 * 429/503 by sending the very same request again (Prometheus, vmagent, Grafana Agent all do), so
 * when the same bytes come back they are handed over without being inflated and decoded again.
 * Several, not one: a sender's shards are refused together and retry in any order.
 */
export class RefusedRequests {
  private kept: Refused[] = [];
  private bytes = 0;

  /** The batch kept for exactly these bytes (forgotten here: it is offered again), or undefined. */
  take(body: Buffer): MetricBatch | undefined {
    const k = this.kept.findIndex((r) => r.body.length === body.length && r.body.equals(body));
    if (k < 0) return undefined;
    const [found] = this.kept.splice(k, 1);
    this.bytes -= found!.bytes;
    return found!.batch;
  }

  keep(body: Buffer, batch: MetricBatch): void {
    const bytes = bytesHeld(body, batch);
    if (bytes > MAX_BYTES) return;
    this.kept.push({ body, batch, bytes });
    this.bytes += bytes;
    while (this.kept.length > MAX_REQUESTS || this.bytes > MAX_BYTES) this.bytes -= this.kept.shift()!.bytes;
  }

  /** Forgets everything (kept batches name series by id: once the table frees ids, they may name the wrong ones). */
  clear(): void {
    this.kept = [];
    this.bytes = 0;
  }
}
