import type { ComponentKind } from '../api/plugin';

/**
 * Counters of one stage instance, kept as plain numbers on the hot path and read by the
 * self-telemetry's observable instruments at collection time (no per-batch instrument calls).
 */
export class StageStats {
  accepted = 0;
  refused = 0;
  sent = 0;
  sendFailed = 0;
  /** Exporters with a disk queue: items an earlier run left queued, counted as this run takes them. */
  restored = 0;
  readonly dropped = new Map<string, number>();
  /** Filled for exporters with a sending queue: items waiting. */
  queueSize: () => number = () => 0;
  queueCapacity = 0;
  breakerState = 0;

  constructor(
    readonly kind: ComponentKind,
    readonly component: string,
    /** Pipeline id for processors (one instance per pipeline); empty otherwise. */
    readonly pipeline: string,
  ) {}

  drop(count: number, reason: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + count);
  }

}

/** All stage stats of a running collector. */
export class StatsRegistry {
  readonly stages: StageStats[] = [];

  add(kind: ComponentKind, component: string, pipeline = ''): StageStats {
    const s = new StageStats(kind, component, pipeline);
    this.stages.push(s);
    return s;
  }

  find(component: string, pipeline = ''): StageStats | undefined {
    return this.stages.find((s) => s.component === component && s.pipeline === pipeline);
  }
}
