interface BatchProgressOptions {
  /**
   * Whether a batch's progress is kept after an attempt that ended with `error` (`undefined`
   * when it succeeded). Progress not kept makes the next `run` of that batch start over.
   * Default: always kept (the WeakMap lets it go with the batch).
   */
  readonly keep?: (error: unknown) => boolean;
}

interface Entry<S> {
  readonly state: S;
  running: Promise<void> | undefined;
}

/**
 * What an exporter already achieved for each batch it sends as several requests, so that a
 * retry of the batch by the runtime skips the requests that went through, and never runs while
 * a previous attempt of the same batch is still sending.
 *
 * The runtime retries a batch when its export `timeout` fires, while the timed-out attempt may
 * still be sending. Two attempts advancing the same progress at once send a request twice and,
 * when one of them fails, skip a request that the other counts as done: acknowledged data lost.
 * So an attempt first waits for the one still running, in a loop, not an `if`: several timed-out
 * retries may wait on the same attempt, and only the first to wake may start (it marks itself
 * running before the others wake, so they go back to waiting).
 */
export class BatchProgress<S> {
  private readonly entries = new WeakMap<object, Entry<S>>();
  private readonly keep: (error: unknown) => boolean;

  constructor(options: BatchProgressOptions = {}) {
    this.keep = options.keep ?? (() => true);
  }

  /**
   * Runs `attempt` on the progress of `batch` (made by `create` on its first run), once no
   * other attempt of the batch is running. Settles as the attempt does. `attempt` must settle
   * only when none of its requests is still in flight, or the next attempt overlaps it.
   */
  async run(batch: object, create: () => S, attempt: (state: S) => Promise<void>): Promise<void> {
    let e = this.entries.get(batch);
    while (e?.running) await e.running.catch(() => undefined);
    if (e === undefined) {
      e = { state: create(), running: undefined };
      this.entries.set(batch, e);
    }
    const entry = e;
    const running = attempt(entry.state);
    entry.running = running;
    let error: unknown;
    try {
      await running;
    } catch (err) {
      error = err;
      throw err;
    } finally {
      // Cleared (and forgotten) in the same turn the attempt settled, before a waiter resumes.
      if (entry.running === running) entry.running = undefined;
      if (!this.keep(error) && this.entries.get(batch) === entry) this.entries.delete(batch);
    }
  }
}
