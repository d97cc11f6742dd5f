import type { Mode } from '../api/host';
import type { ConservativeConfig, MemoryConfig } from '../config/types';
import type { ModeManager } from './mode-manager';

/** What the supervisor watches, read at every check. */
export interface LoadSignals {
  /** The process's resident set size (what a container's memory limit and the OOM killer see). */
  residentBytes(): number;
  /** Memory held by live data: JS heap in use plus typed-array buffers (metric batch columns). */
  liveBytes(): number;
  /** The fullest sending queue's fill ratio, 0..1. */
  queueFill(): number;
  /** Stages whose breaker is open. */
  openBreakers(): string[];
  /**
   * Frees what can be freed (a forced GC): called at each check while emergency holds, before
   * memory would start it, and at most every 10 s while memory is over the soft limit.
   */
  reclaim?(): void;
}

const MIB = 1024 * 1024;
/**
 * Forced collections for the soft limit come at most this often, as the OpenTelemetry Collector's
 * memory limiter spaces them (`min_gc_interval_when_soft_limited`, 10 s): each blocks the event
 * loop for tens of milliseconds. Before emergency, and in it, they are not spaced.
 */
const SOFT_RECLAIM_INTERVAL_MS = 10_000;
/**
 * Emergency starts at this fraction of `limit_mib`: room for what arrives until the next check and
 * for the forced collections. Measured in the fault suite's overload scenario: resident memory
 * rose up to 5 % of the limit past the point where emergency began.
 */
export const EMERGENCY_ONSET = 0.9;
/** Emergency clears at the latest this far under where it starts, whatever the hysteresis. */
const CLEAR_UNDER_ONSET = 0.95;

/**
 * Proposes the automatic load-shedding mode from resident memory (RSS), the fullest queue and the
 * breakers: `conservative` at `memory.soft_limit_mib`, at a queue fill of `queue_high_watermark`,
 * or while a breaker is open; `emergency` before resident memory reaches `memory.limit_mib`.
 *
 * `limit_mib` is a ceiling, not a trigger: memory keeps growing between two checks (requests in
 * flight, garbage not yet collected), so emergency starts at 90 % of it. A trigger clears only
 * once its measure falls below `hysteresis` × its threshold (for emergency: × `limit_mib`), so
 * the mode does not flap.
 */
export class LoadSupervisor {
  /** Live memory (MiB) at its peak, less what resident memory has given back since. */
  private livePeakMib = 0;
  private lastRssMib = 0;
  private msSinceReclaim = Infinity;

  constructor(
    private readonly memory: MemoryConfig,
    private readonly conservative: ConservativeConfig,
    private readonly modes: ModeManager,
    private readonly signals: LoadSignals,
  ) {}

  /** Memory at which emergency starts (MiB). */
  get emergencyThresholdMib(): number {
    return this.memory.limit_mib * EMERGENCY_ONSET;
  }

  check(): Mode {
    const current = this.modes.automaticMode;
    this.msSinceReclaim += this.memory.check_interval_ms;
    // In emergency, garbage holds resident memory up: collect it so the mode can clear.
    if (current === 'emergency') this.reclaim();
    let rssMib = this.signals.residentBytes() / MIB;
    const grew = rssMib > this.lastRssMib;
    let usedMib = this.used(rssMib, this.signals.liveBytes() / MIB);
    const emergencyAt = this.memory.limit_mib > 0 ? this.emergencyThresholdMib : 0;
    if (this.garbageMayDecide(current, usedMib, emergencyAt)) {
      this.reclaim();
      rssMib = this.signals.residentBytes() / MIB;
      usedMib = this.used(rssMib, this.signals.liveBytes() / MIB);
    }
    const h = this.conservative.hysteresis;
    const over = (value: number, threshold: number, wasOn: boolean) => threshold > 0 && value >= (wasOn ? threshold * h : threshold);

    let mode: Mode = 'normal';
    let reason = 'load back to normal';
    const fill = this.signals.queueFill();
    const open = this.signals.openBreakers();
    if (over(usedMib, this.memory.soft_limit_mib, current !== 'normal')) {
      mode = 'conservative';
      reason = `memory ${usedMib.toFixed(0)} MiB (resident ${rssMib.toFixed(0)} MiB) over soft limit ${this.memory.soft_limit_mib} MiB`;
    } else if (over(fill, this.conservative.queue_high_watermark, current !== 'normal')) {
      mode = 'conservative';
      reason = `a sending queue is ${(fill * 100).toFixed(0)}% full`;
    } else if (open.length > 0) {
      mode = 'conservative';
      reason = `breaker open: ${open.join(', ')}`;
    }
    // Clearing is judged against the limit itself (hysteresis × limit_mib), but always some way
    // under where emergency starts: a hysteresis above 0.9 would otherwise enter and leave on
    // alternate checks (with a forced collection each time).
    const clearBelow = Math.min(h * this.memory.limit_mib, CLEAR_UNDER_ONSET * emergencyAt);
    // Whatever the credit, resident memory growing at the limit itself is what an OOM killer sees.
    // Growing only: the allocator may keep the pages of freed data resident for good, and a
    // collector that refuses everything could then never leave emergency.
    const atLimit = this.memory.limit_mib > 0 && rssMib >= this.memory.limit_mib && grew;
    if (atLimit || (current === 'emergency' ? usedMib >= clearBelow && emergencyAt > 0 : over(usedMib, emergencyAt, false))) {
      mode = 'emergency';
      reason = `memory ${usedMib.toFixed(0)} MiB (resident ${rssMib.toFixed(0)} MiB) near limit ${this.memory.limit_mib} MiB (emergency from ${emergencyAt.toFixed(0)} MiB)`;
    }
    this.modes.setAutomatic(mode, reason);
    return mode;
  }

  /**
   * Whether memory would raise the mode or holds `conservative` up, so that a collection may change
   * the answer. Garbage is not load, but V8 collects only once its heap limit is reached (the
   * launcher raises that floor, see src/cli/node-flags.ts): memory may stand over a threshold with
   * much of it dead, whatever raised the mode first.
   */
  private garbageMayDecide(current: Mode, usedMib: number, emergencyAt: number): boolean {
    if (!this.signals.reclaim || current === 'emergency') return false;
    if (emergencyAt > 0 && usedMib >= emergencyAt) return true;
    const soft = this.memory.soft_limit_mib;
    const holdsOrRaises = soft > 0 && usedMib >= (current === 'conservative' ? soft * this.conservative.hysteresis : soft);
    return holdsOrRaises && this.msSinceReclaim >= SOFT_RECLAIM_INTERVAL_MS;
  }

  private reclaim(): void {
    this.signals.reclaim?.();
    this.msSinceReclaim = 0;
  }

  /**
   * Resident memory, less live data freed since its peak: the allocator keeps freed memory
   * resident, and new data reuses it before resident memory grows again. Once resident memory
   * moves, the credit shrinks by as much: falling, the memory went back to the system; growing,
   * the freed memory is used up (or something outside the heap grew), and the limit must see it.
   */
  private used(rssMib: number, liveMib: number): number {
    const moved = Math.abs(this.lastRssMib - rssMib);
    this.lastRssMib = rssMib;
    this.livePeakMib = Math.max(liveMib, this.livePeakMib - moved);
    return rssMib - (this.livePeakMib - liveMib);
  }
}
