import type { Batch } from '../api';

/**
 * Dead letters: a processor only has `next`, so items it rejects cannot reach another pipeline by
 * the graph alone. Like Vector's `<transform>.dropped` output, a processor with
 * `on_invalid: dead_letter` publishes what it rejects on a named channel (by default its own
 * component id), and a `route` connector that lists the channel in `dead_letter_from` takes the
 * items into the pipelines it feeds, through its routing table. The registry is process-wide, as
 * the series table is; channels are plain strings.
 */
export type DeadLetterSink = (batch: Batch, source: string) => Promise<void>;

export class DeadLetterRegistry {
  private readonly sinks = new Map<string, DeadLetterSink>();

  /** Registers the sink of a channel; returns the function that removes it. One sink per channel. */
  subscribe(channel: string, sink: DeadLetterSink): () => void {
    if (this.sinks.has(channel)) throw new Error(`dead-letter channel "${channel}" already has a consumer`);
    this.sinks.set(channel, sink);
    return () => {
      if (this.sinks.get(channel) === sink) this.sinks.delete(channel);
    };
  }

  hasSink(channel: string): boolean {
    return this.sinks.has(channel);
  }

  /**
   * Hands `batch` to the channel's sink. Resolves false when nobody listens (the caller counts the
   * items as dropped), true when the sink accepted; rejects when the sink refused.
   */
  async publish(channel: string, batch: Batch, source: string): Promise<boolean> {
    const sink = this.sinks.get(channel);
    if (!sink) return false;
    await sink(batch, source);
    return true;
  }
}

/** The registry of the process. */
export const deadLetters = new DeadLetterRegistry();
