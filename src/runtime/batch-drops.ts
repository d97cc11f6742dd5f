/**
 * Items an exporter reported dropped (`ctx.telemetry.dropped`) while handling batches, not yet
 * charged to one. An exporter that drops part of a batch itself (e.g. a request the backend
 * refused for good) still resolves, and the runtime must not count those items as sent too:
 * accepted = sent + dropped. The exporter reports a drop before the batch it belongs to settles,
 * so charging what is owed to the next batch that settles keeps the totals exact; with several
 * consumers a drop may be charged to a neighbouring batch, which moves nothing between counters.
 *
 * Drops reported during an attempt that was then refused stay with that batch: exporters that
 * resume a batch (remote write, OTLP) do not report them again when the same batch is retried,
 * so they are charged when it settles, and never to another batch. A refused batch that comes
 * back as a new one (a receiver decoding the sender's retry afresh) has them reported again; the
 * first report stays counted as dropped, charged to nothing: those items were refused, not accepted.
 *
 * A plain counter rather than AsyncLocalStorage: on Node 20 that turns on async hooks for every
 * promise in the process, which cost 5–10% CPU on the remote-write relay.
 */
export class ExporterDrops {
  private owed = 0;
  private readonly ofRefused = new WeakMap<object, number>();

  /** Called from the exporter's `ctx.telemetry.dropped`. */
  note(n: number): void {
    this.owed += n;
  }

  /** Of `batch` (`n` items), which just settled, how many the exporter already counted as dropped. */
  charge(batch: object, n: number): number {
    const earlier = Math.min(this.ofRefused.get(batch) ?? 0, n);
    this.ofRefused.delete(batch);
    const now = Math.min(this.owed, n - earlier);
    this.owed -= now;
    return earlier + now;
  }

  /** An attempt at `batch` (`n` items) was refused: what it dropped waits for that batch to settle. */
  refused(batch: object, n: number): void {
    const c = Math.min(this.owed, n);
    if (c === 0) return;
    this.owed -= c;
    this.ofRefused.set(batch, (this.ofRefused.get(batch) ?? 0) + c);
  }
}
