/**
 * Items an exporter reported dropped (`ctx.telemetry.dropped`) while handling batches, not yet
 * charged to one. An exporter that drops part of a batch itself (e.g. a request the backend
 * refused for good) still resolves, and the runtime must not count those items as sent too:
 * accepted = sent + dropped.
 *
 * A drop reported with its batch is charged to that batch exactly, whatever else is in flight
 * and whether the attempt that dropped it succeeded or was refused (exporters that resume a batch
 * do not report its drops again when the same batch is retried; a refused batch that comes back as
 * a new one reports them again, and the first report then stays counted, charged to nothing: those
 * items were refused, not accepted). A drop reported without one is
 * owed to the next batch that settles: exact with one consumer, and with several it may move to a
 * neighbouring batch, which moves nothing between the totals.
 *
 * A plain counter and a WeakMap rather than AsyncLocalStorage: on Node 20 that turns on async
 * hooks for every promise in the process, which cost 5–10% CPU on the remote-write relay.
 */
export class ExporterDrops {
  private owed = 0;
  private readonly byBatch = new WeakMap<object, number>();

  /** Called from the exporter's `ctx.telemetry.dropped`. */
  note(n: number, batch?: object): void {
    if (batch === undefined) this.owed += n;
    else this.byBatch.set(batch, (this.byBatch.get(batch) ?? 0) + n);
  }

  /** Of `batch` (`n` items), which just settled, how many the exporter already counted as dropped. */
  charge(batch: object, n: number): number {
    const own = Math.min(this.byBatch.get(batch) ?? 0, n);
    this.byBatch.delete(batch);
    const owed = Math.min(this.owed, n - own);
    this.owed -= owed;
    return own + owed;
  }
}
