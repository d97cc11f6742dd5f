import type { Mode } from '../api/host';
import type { ConservativeConfig, MemoryConfig } from '../config/types';
import type { ModeManager } from './mode-manager';

/** What the supervisor watches, read at every check. */
export interface LoadSignals {
  heapUsedBytes(): number;
  /** The fullest sending queue's fill ratio, 0..1. */
  queueFill(): number;
  /** Stages whose breaker is open. */
  openBreakers(): string[];
}

const MIB = 1024 * 1024;

/**
 * Proposes the automatic load-shedding mode: `emergency` at `memory.limit_mib`, `conservative`
 * at `memory.soft_limit_mib`, at a queue fill of `queue_high_watermark`, or while a breaker is
 * open. A trigger clears only once its measure falls below `hysteresis` × its threshold, so the
 * mode does not flap around a limit.
 */
export class LoadSupervisor {
  constructor(
    private readonly memory: MemoryConfig,
    private readonly conservative: ConservativeConfig,
    private readonly modes: ModeManager,
    private readonly signals: LoadSignals,
  ) {}

  check(): Mode {
    const current = this.modes.automaticMode;
    const heapMib = this.signals.heapUsedBytes() / MIB;
    const h = this.conservative.hysteresis;
    const over = (value: number, threshold: number, wasOn: boolean) => threshold > 0 && value >= (wasOn ? threshold * h : threshold);

    let mode: Mode = 'normal';
    let reason = 'load back to normal';
    const fill = this.signals.queueFill();
    const open = this.signals.openBreakers();
    if (over(heapMib, this.memory.soft_limit_mib, current !== 'normal')) {
      mode = 'conservative';
      reason = `heap ${heapMib.toFixed(0)} MiB over soft limit ${this.memory.soft_limit_mib} MiB`;
    } else if (over(fill, this.conservative.queue_high_watermark, current !== 'normal')) {
      mode = 'conservative';
      reason = `a sending queue is ${(fill * 100).toFixed(0)}% full`;
    } else if (open.length > 0) {
      mode = 'conservative';
      reason = `breaker open: ${open.join(', ')}`;
    }
    if (over(heapMib, this.memory.limit_mib, current === 'emergency')) {
      mode = 'emergency';
      reason = `heap ${heapMib.toFixed(0)} MiB over limit ${this.memory.limit_mib} MiB`;
    }
    this.modes.setAutomatic(mode, reason);
    return mode;
  }
}
