import type { Clock, Logger } from '../../src/api';

/**
 * Logs a recurring warning at most once per period and says how many were held back, so a
 * pipeline that refuses data for an hour costs sixty log lines, not millions.
 */
export class ThrottledLog {
  private lastMs = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly periodMs = 60_000,
  ) {}

  warn(msg: string, fields: Record<string, unknown>): void {
    const now = this.clock.now();
    if (now - this.lastMs < this.periodMs) {
      this.suppressed++;
      return;
    }
    this.logger.warn(msg, { ...fields, suppressed: this.suppressed });
    this.lastMs = now;
    this.suppressed = 0;
  }
}
