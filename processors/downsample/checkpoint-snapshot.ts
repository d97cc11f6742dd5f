import type { Labels, MetricKind } from '../../src/api';
import { capacityFor, growI32 } from '../../src/api';
import { LogMapping } from '../../src/sketch';
import { MOMENTS_STRIDE } from '../../src/sketch/moments';
import type { Downsampler } from './downsampler';
import type { SeriesClass } from './tier-state';

/**
 * The open windows, counter baselines and watermark of a downsampler, in columns: what a
 * checkpoint holds. Series go by name, labels and kind through a string table (ids are not stable
 * across restarts). Row order: tiers, then each tier's windows, then each window's states.
 */
export interface Snapshot {
  readonly horizon: number;
  readonly relativeAccuracy: number;
  readonly strings: readonly string[];
  /** Per series: name (string index), kind, labels as string indices `labelRefs[labelStart[i] .. labelStart[i + 1])`. */
  readonly seriesName: Uint32Array;
  readonly seriesKind: Uint8Array;
  readonly labelStart: Uint32Array;
  readonly labelRefs: Uint32Array;
  /** Per tier: name (string index), interval, number of windows. */
  readonly tierName: Uint32Array;
  readonly tierInterval: Float64Array;
  readonly tierWindows: Uint32Array;
  /** Per window: start, number of states. */
  readonly windowStart: Float64Array;
  readonly windowStates: Uint32Array;
  /** Per state: series index, class, 8 moments, number of sketch bins (keys/counts in order). */
  readonly stateSeries: Uint32Array;
  readonly stateClass: Uint8Array;
  readonly moments: Float64Array;
  readonly binCount: Uint32Array;
  readonly binKeys: Int32Array;
  readonly binCounts: Float64Array;
  /** Per cumulative counter: series index, last value, its timestamp and start time. */
  readonly counterSeries: Uint32Array;
  readonly counterValue: Float64Array;
  readonly counterTs: Float64Array;
  readonly counterStart: Float64Array;
}

/**
 * Numbers series as they are first met and lists their strings. Strings are not de-duplicated:
 * a map lookup per label costs more than the bytes it saves, and a checkpoint is written often.
 */
class SeriesNumbering {
  readonly strings: string[] = [];
  readonly names: number[] = [];
  readonly kinds: number[] = [];
  readonly labelStart: number[] = [0];
  readonly labelRefs: number[] = [];
  private indexOfSid = new Int32Array(1024).fill(-1);

  constructor(private readonly ds: Downsampler) {}

  series(sid: number): number {
    if (sid >= this.indexOfSid.length) this.indexOfSid = growI32(this.indexOfSid, capacityFor(this.indexOfSid.length, sid + 1), -1);
    let i = this.indexOfSid[sid]!;
    if (i < 0) {
      const info = this.ds.series.info(sid);
      i = this.names.length;
      this.names.push(this.string(info.name));
      this.kinds.push(info.kind);
      for (const part of info.labels) this.labelRefs.push(this.string(part));
      this.labelStart.push(this.labelRefs.length);
      this.indexOfSid[sid] = i;
    }
    return i;
  }

  string(s: string): number {
    return this.strings.push(s) - 1;
  }
}

/**
 * Captures the state of `ds` in one synchronous pass (so the snapshot is consistent: no window
 * closes half-way through it). Everything is copied: the result does not change with `ds`.
 */
export function snapshot(ds: Downsampler): Snapshot {
  const numbering = new SeriesNumbering(ds);
  let windows = 0;
  let states = 0;
  let bins = 0;
  for (const t of ds.tiers) {
    windows += t.windows.size;
    for (const w of t.windows.values()) {
      states += w.count;
      if (t.sketches) for (let j = 0; j < w.count; j++) bins += t.sketches.binCount(w.members[j]!);
    }
  }
  const tierName = new Uint32Array(ds.tiers.length);
  const tierInterval = new Float64Array(ds.tiers.length);
  const tierWindows = new Uint32Array(ds.tiers.length);
  const windowStart = new Float64Array(windows);
  const windowStates = new Uint32Array(windows);
  const stateSeries = new Uint32Array(states);
  const stateClass = new Uint8Array(states);
  const moments = new Float64Array(states * MOMENTS_STRIDE);
  const binCount = new Uint32Array(states);
  const binKeys = new Int32Array(bins);
  const binCounts = new Float64Array(bins);
  let wi = 0;
  let si = 0;
  let bi = 0;
  ds.tiers.forEach((t, ti) => {
    tierName[ti] = numbering.string(t.spec.name);
    tierInterval[ti] = t.spec.intervalMs;
    tierWindows[ti] = t.windows.size;
    for (const w of t.windows.values()) {
      windowStart[wi] = w.start;
      windowStates[wi++] = w.count;
      for (let j = 0; j < w.count; j++, si++) {
        const slot = w.members[j]!;
        stateSeries[si] = numbering.series(t.sidOf[slot]!);
        stateClass[si] = t.classOf[slot]!;
        t.moments.copyTo(slot, moments, si * MOMENTS_STRIDE);
        const n = t.sketches ? t.sketches.copyBins(slot, binKeys, binCounts, bi) : 0;
        binCount[si] = n;
        bi += n;
      }
    }
  });
  const counters = ds.counters.entries().filter(([sid]) => ds.series.has(sid));
  const counterSeries = Uint32Array.from(counters, ([sid]) => numbering.series(sid));
  return {
    horizon: ds.horizon,
    relativeAccuracy: ds.options.relativeAccuracy,
    strings: numbering.strings,
    seriesName: Uint32Array.from(numbering.names),
    seriesKind: Uint8Array.from(numbering.kinds),
    labelStart: Uint32Array.from(numbering.labelStart),
    labelRefs: Uint32Array.from(numbering.labelRefs),
    tierName,
    tierInterval,
    tierWindows,
    windowStart,
    windowStates,
    stateSeries,
    stateClass,
    moments,
    binCount,
    binKeys,
    binCounts,
    counterSeries,
    counterValue: Float64Array.from(counters, (c) => c[1]),
    counterTs: Float64Array.from(counters, (c) => c[2]),
    counterStart: Float64Array.from(counters, (c) => c[3]),
  };
}

/**
 * Loads a snapshot into a fresh downsampler. Tiers are matched by name and interval; windows of
 * tiers that no longer exist are skipped and named in the result. A changed relative accuracy
 * re-buckets each sketch bin at its representative value.
 */
export function restore(ds: Downsampler, snap: Snapshot): { states: number; skippedTiers: string[] } {
  const { strings } = snap;
  const sids = new Uint32Array(snap.seriesName.length);
  for (let i = 0; i < sids.length; i++) {
    const labels: string[] = [];
    for (let k = snap.labelStart[i]!; k < snap.labelStart[i + 1]!; k++) labels.push(strings[snap.labelRefs[k]!]!);
    sids[i] = ds.series.intern(strings[snap.seriesName[i]!]!, Object.freeze(labels) as Labels, snap.seriesKind[i]! as MetricKind);
  }
  const oldMapping = snap.relativeAccuracy === ds.options.relativeAccuracy ? undefined : new LogMapping(snap.relativeAccuracy);
  let restored = 0;
  const skippedTiers: string[] = [];
  let wi = 0;
  let si = 0;
  let bi = 0;
  for (let ti = 0; ti < snap.tierName.length; ti++) {
    const name = strings[snap.tierName[ti]!]!;
    const tier = ds.tiers.find((t) => t.spec.name === name && t.spec.intervalMs === snap.tierInterval[ti]);
    const windowsEnd = wi + snap.tierWindows[ti]!;
    if (tier === undefined && windowsEnd > wi) skippedTiers.push(name);
    for (; wi < windowsEnd; wi++) {
      const statesEnd = si + snap.windowStates[wi]!;
      const win = tier?.window(snap.windowStart[wi]!);
      for (; si < statesEnd; si++) {
        const n = snap.binCount[si]!;
        if (tier !== undefined && win !== undefined) {
          const slot = tier.slot(win, sids[snap.stateSeries[si]!]!, snap.stateClass[si]! as SeriesClass);
          tier.moments.write(slot, snap.moments, si * MOMENTS_STRIDE);
          if (tier.sketches && !oldMapping) tier.sketches.loadBins(slot, snap.binKeys, snap.binCounts, bi, n);
          else if (tier.sketches) for (let b = bi; b < bi + n; b++) tier.sketches.add(slot, oldMapping!.valueOf(snap.binKeys[b]!), snap.binCounts[b]!);
          restored++;
        }
        bi += n;
      }
    }
  }
  for (let i = 0; i < snap.counterSeries.length; i++) {
    ds.counters.set(sids[snap.counterSeries[i]!]!, snap.counterValue[i]!, snap.counterTs[i]!, snap.counterStart[i]!);
  }
  if (snap.horizon > ds.horizon) ds.horizon = snap.horizon;
  return { states: restored, skippedTiers };
}
