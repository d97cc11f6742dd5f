import type { Logger } from '../api/logger';

/** Distinct messages remembered; past this, further unexpected errors are only counted. */
const MAX_DISTINCT = 64;

/**
 * Logs each distinct unexpected error once, so a bug hit by every request does not flood the log.
 * Only for unexpected failures: transient refusals (back-pressure) are expected and never logged here.
 */
export class OnceLogger {
  private readonly seen = new Set<string>();
  suppressed = 0;

  constructor(private readonly logger: Logger) {}

  error(msg: string, err: unknown): void {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (this.seen.has(text) || this.seen.size >= MAX_DISTINCT) {
      this.suppressed++;
      return;
    }
    this.seen.add(text);
    this.logger.error(msg, { error: text, stack: err instanceof Error ? err.stack : undefined });
  }
}
