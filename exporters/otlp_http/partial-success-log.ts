import type { Batch, ExporterContext } from '../../src/api';
import type { PartialSuccess } from '../../src/otlp/encode';

const LOG_EVERY_MS = 60_000;

/**
 * Counts items a server refused inside a 2xx answer (`partial_success`) as dropped, and logs
 * them at most once a minute with the count since the last line and the server's last message.
 */
export class PartialSuccessLog {
  private lastLogMs = -Infinity;
  private pending = 0;

  constructor(private readonly ctx: ExporterContext<unknown>) {}

  /** `sent` items of `batch` got this answer. */
  record(partial: PartialSuccess, sent: number, batch: Batch): void {
    // A server claiming more than it was sent is not believed beyond what it got.
    const rejected = Math.min(partial.rejected, sent);
    this.ctx.telemetry.dropped(rejected, 'partial_success', batch);
    this.pending += rejected;
    const now = this.ctx.clock.now();
    if (now - this.lastLogMs < LOG_EVERY_MS) return;
    this.ctx.logger.warn('OTLP server refused part of the data it accepted (partial_success); those items are dropped', {
      rejected: this.pending,
      message: partial.message.slice(0, 512),
    });
    this.lastLogMs = now;
    this.pending = 0;
  }
}
