import type { Clock } from '../api/clock';
import type { BreakerConfig } from '../config/types';

export type BreakerState = 'closed' | 'open' | 'half_open';

export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export type BreakerListener = (from: BreakerState, to: BreakerState, reason: string) => void;

/**
 * The per-stage circuit breaker: `closed` → `open` after `failure_threshold` consecutive failures;
 * `open` → `half_open` once `reset_timeout` has passed (checked lazily on the next call, so an idle
 * breaker needs no timer); `half_open` lets `half_open_max_calls` probes through, closes when one
 * succeeds and reopens when one fails.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probesInFlight = 0;
  private readonly listeners: BreakerListener[] = [];

  constructor(
    private readonly config: BreakerConfig,
    private readonly clock: Clock,
  ) {}

  get state(): BreakerState {
    this.refresh();
    return this.current;
  }

  onChange(listener: BreakerListener): void {
    this.listeners.push(listener);
  }

  /** Milliseconds until an open breaker lets a probe through (0 when not open). */
  retryAfterMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.config.reset_timeout_ms - this.clock.now());
  }

  /**
   * Asks to make a call. Returns false when the call must fail fast. A true answer must be
   * followed by exactly one {@link success} or {@link failure} (or {@link neutral}).
   */
  tryAcquire(): boolean {
    this.refresh();
    if (this.current === 'closed') return true;
    if (this.current === 'open') return false;
    if (this.probesInFlight >= this.config.half_open_max_calls) return false;
    this.probesInFlight++;
    return true;
  }

  success(): void {
    this.failures = 0;
    if (this.current === 'half_open') {
      this.probesInFlight = Math.max(0, this.probesInFlight - 1);
      this.transition('closed', 'probe succeeded');
    }
  }

  failure(reason = 'call failed'): void {
    if (this.current === 'half_open') {
      this.probesInFlight = Math.max(0, this.probesInFlight - 1);
      this.open(`probe failed: ${reason}`);
      return;
    }
    if (this.current === 'open') return;
    if (++this.failures >= this.config.failure_threshold) this.open(`${this.failures} consecutive failures, last: ${reason}`);
  }

  /** The call ended in a way that says nothing about the stage's health (e.g. bad data). */
  neutral(): void {
    if (this.current === 'half_open') this.probesInFlight = Math.max(0, this.probesInFlight - 1);
  }

  /** Operator reset (the `reset_breaker` control command). */
  reset(): void {
    this.failures = 0;
    this.probesInFlight = 0;
    if (this.current !== 'closed') this.transition('closed', 'reset by operator');
  }

  private open(reason: string): void {
    this.openedAt = this.clock.now();
    this.failures = 0;
    this.transition('open', reason);
  }

  private refresh(): void {
    if (this.current === 'open' && this.clock.now() - this.openedAt >= this.config.reset_timeout_ms) {
      this.probesInFlight = 0;
      this.transition('half_open', 'reset timeout elapsed');
    }
  }

  private transition(to: BreakerState, reason: string): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    for (const l of this.listeners) l(from, to, reason);
  }
}
