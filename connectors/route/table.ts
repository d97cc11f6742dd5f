import type { Signal } from '../../src/api';
import { appliesTo } from './predicates';
import type { RouteConfig } from './config';

/**
 * The routing table of one signal, compiled. Items resolve to a "combo": the set of target
 * pipelines they go to, numbered so that per-item (and per-series) state is one small integer.
 */
export class SignalTable {
  /** Pipeline ids of this signal that any route or the default names. */
  readonly targets: string[] = [];
  /** Indices (into the config table) of the routes that apply to this signal. */
  readonly routes: number[] = [];
  /** Per combo: target indices. Combo 0 is the default. */
  readonly combos: number[][] = [];
  private readonly routeTargets: number[][] = [];
  private readonly comboIds = new Map<string, number>();

  constructor(config: RouteConfig, readonly signal: Signal) {
    config.table.forEach((rule, i) => {
      if (!appliesTo(rule.match, signal)) return;
      this.routes.push(i);
      this.routeTargets.push(this.targetIndices(rule.pipelines));
    });
    this.comboOf(this.targetIndices(config.default_pipelines));
  }

  /**
   * The combo of an item, given which routes (positions in {@link routes}) match it. With
   * `matchOnce`, stops at the first; `matches` is called lazily.
   */
  resolve(matches: (position: number) => boolean, matchOnce: boolean): number {
    let union: number[] | undefined;
    for (let p = 0; p < this.routes.length; p++) {
      if (!matches(p)) continue;
      if (matchOnce) return this.comboOf(this.routeTargets[p]!);
      union = union ? [...new Set([...union, ...this.routeTargets[p]!])] : this.routeTargets[p]!;
    }
    return union ? this.comboOf(union) : 0;
  }

  private comboOf(targets: number[]): number {
    const sorted = [...new Set(targets)].sort((a, b) => a - b);
    const key = sorted.join(',');
    let id = this.comboIds.get(key);
    if (id === undefined) {
      id = this.combos.length;
      this.combos.push(sorted);
      this.comboIds.set(key, id);
    }
    return id;
  }

  /** Indices of the pipelines of this signal among `ids`; ids of other signals are ignored. */
  private targetIndices(ids: readonly string[]): number[] {
    const out: number[] = [];
    for (const id of ids) {
      if (id.split('/')[0] !== this.signal) continue;
      let t = this.targets.indexOf(id);
      if (t < 0) t = this.targets.push(id) - 1;
      out.push(t);
    }
    return out;
  }
}
