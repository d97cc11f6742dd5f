import type { ControlCommand } from '../model/control';
import type { TelemetryEvent } from '../model/events';

export type Mode = 'normal' | 'conservative' | 'emergency';

export interface ControlResult {
  readonly ok: boolean;
  readonly message: string;
}

/** How much to hold back in the current mode; batching processors apply `batchSizeFactor`. */
export interface ModeLimits {
  /** 1 in normal mode; smaller while conservative. */
  readonly batchSizeFactor: number;
  /** Delay the runtime inserts before each batch a receiver hands over (0 in normal mode). */
  readonly processingDelayMs: number;
}

/** What the running collector offers to plugins beyond their own stage. */
export interface Host {
  /** The current load-shedding mode. Receivers refuse new data in `emergency`. */
  mode(): Mode;
  /** The limits of the current mode. */
  limits(): ModeLimits;
  /** Subscribe to mode changes; returns an unsubscribe function. */
  onModeChange(listener: (mode: Mode) => void): () => void;
  /** Executes a control command (set_mode, flush, reset_breaker, reload). */
  execute(command: ControlCommand): Promise<ControlResult>;
  /**
   * The collector's own events (topic `circuit_breaker.state_changed`, `nissa.mode_changed`...),
   * which the `internal_events` receiver feeds into events pipelines.
   */
  onInternalEvent(listener: (event: TelemetryEvent) => void): () => void;
}
