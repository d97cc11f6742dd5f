/**
 * Items an exporter reported dropped (`ctx.telemetry.dropped`) while handling batches, not yet
 * charged to one. An exporter that drops part of a batch itself (e.g. a request the backend
 * refused for good) still resolves, and the runtime must not count those items as sent too:
 * accepted = sent + dropped. The exporter reports a drop before the batch it belongs to settles,
 * so charging what is owed to the next batch that settles keeps the totals exact; with several
 * consumers a drop may be charged to a neighbouring batch, which moves nothing between counters.
 *
 * A plain counter rather than AsyncLocalStorage: on Node 20 that turns on async hooks for every
 * promise in the process, which cost 5–10% CPU on the remote-write relay.
 */
export class ExporterDrops {
  private owed = 0;

  /** Called from the exporter's `ctx.telemetry.dropped`. */
  note(n: number): void {
    this.owed += n;
  }

  /** Of a batch of `n` items that just settled, how many the exporter already counted as dropped. */
  charge(n: number): number {
    const c = Math.min(this.owed, n);
    this.owed -= c;
    return c;
  }
}
