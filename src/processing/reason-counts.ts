import type { Counter, Meter } from '@opentelemetry/api';
import type { StageTelemetry } from '../api';

/**
 * Per-batch tally of dropped items by reason, reported once per batch (never once per item) to
 * the stage telemetry and to the plugin's own counter `<metricName>{reason}`.
 */
export class ReasonCounts {
  private readonly counts = new Map<string, number>();
  private readonly counter: Counter;

  constructor(meter: Meter, metricName: string, description: string, private readonly telemetry: StageTelemetry) {
    this.counter = meter.createCounter(metricName, { description });
  }

  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /** Reports the tally as drops (telemetry.dropped) and clears it. */
  flushDropped(): void {
    for (const [reason, n] of this.counts) {
      this.telemetry.dropped(n, reason);
      this.counter.add(n, { reason });
    }
    this.counts.clear();
  }

  /** Reports the tally to the counter only (items that were not dropped, e.g. dead-lettered). */
  flushCounted(): void {
    for (const [reason, n] of this.counts) this.counter.add(n, { reason });
    this.counts.clear();
  }
}
