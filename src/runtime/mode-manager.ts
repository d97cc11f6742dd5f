import type { Mode } from '../api/host';
import { Listeners } from './listeners';

/**
 * Holds the load-shedding mode. Automatic triggers (memory, queues, breakers) propose a mode;
 * an operator's `set_mode` forces one until released with `set_mode auto`.
 */
export class ModeManager {
  private automatic: Mode = 'normal';
  private forced: Mode | undefined;
  private readonly changes = new Listeners<{ mode: Mode; reason: string }>();
  private last: Mode = 'normal';

  get mode(): Mode {
    return this.forced ?? this.automatic;
  }

  /** The mode the automatic triggers ask for, whatever an operator forced. */
  get automaticMode(): Mode {
    return this.automatic;
  }

  onChange(listener: (change: { mode: Mode; reason: string }) => void): () => void {
    return this.changes.add(listener);
  }

  setAutomatic(mode: Mode, reason: string): void {
    this.automatic = mode;
    this.publish(reason);
  }

  force(mode: Mode | undefined, reason: string): void {
    this.forced = mode;
    this.publish(reason);
  }

  private publish(reason: string): void {
    if (this.mode === this.last) return;
    this.last = this.mode;
    this.changes.emit({ mode: this.mode, reason });
  }
}
