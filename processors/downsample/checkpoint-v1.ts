import { createHash } from 'node:crypto';
import { MOMENTS_STRIDE } from '../../src/sketch/moments';
import type { Snapshot } from './checkpoint-snapshot';

type Num = number | null;

/** The JSON body of a version 1 checkpoint (written before the binary format). */
interface BodyV1 {
  readonly horizon: Num;
  readonly relative_accuracy: number;
  readonly series: [string, string[], number][];
  readonly tiers: { name: string; interval_ms: number; windows: { start: number; states: [number, number, Num[], number[], number[]][] }[] }[];
  readonly counters: [number, number, number, number][];
}

/** JSON had no NaN or infinities: they were written as null and come back by field. */
const EMPTY_MOMENTS = [0, NaN, NaN, NaN, Infinity, -Infinity, NaN, -Infinity];

/**
 * Reads a version 1 checkpoint (a JSON header line, then a JSON body) into a snapshot, so the
 * open windows survive the upgrade to the binary format. Read only: new checkpoints are binary.
 */
export function decodeCheckpointV1(text: string): Snapshot {
  const nl = text.indexOf('\n');
  if (nl < 0) throw new Error('checkpoint has no header');
  const header = JSON.parse(text.slice(0, nl)) as { format?: string; version?: number; sha256?: string };
  if (header.format !== 'nissa-downsample-checkpoint') throw new Error(`not a downsample checkpoint (format ${String(header.format)})`);
  if (header.version !== 1) throw new Error(`unsupported checkpoint version ${String(header.version)}`);
  const json = text.slice(nl + 1);
  if (createHash('sha256').update(json).digest('hex') !== header.sha256) throw new Error('checkpoint checksum mismatch');
  const body = JSON.parse(json) as BodyV1;
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = strings.push(s) - 1));
    return i;
  };
  const labelStart = [0];
  const labelRefs: number[] = [];
  for (const [, labels] of body.series) {
    for (const part of labels) labelRefs.push(str(part));
    labelStart.push(labelRefs.length);
  }
  const windows = body.tiers.flatMap((t) => t.windows);
  const states = windows.flatMap((w) => w.states);
  return {
    horizon: body.horizon ?? -Infinity,
    relativeAccuracy: body.relative_accuracy,
    strings,
    seriesName: Uint32Array.from(body.series, ([name]) => str(name)),
    seriesKind: Uint8Array.from(body.series, ([, , kind]) => kind),
    labelStart: Uint32Array.from(labelStart),
    labelRefs: Uint32Array.from(labelRefs),
    tierName: Uint32Array.from(body.tiers, (t) => str(t.name)),
    tierInterval: Float64Array.from(body.tiers, (t) => t.interval_ms),
    tierWindows: Uint32Array.from(body.tiers, (t) => t.windows.length),
    windowStart: Float64Array.from(windows, (w) => w.start),
    windowStates: Uint32Array.from(windows, (w) => w.states.length),
    stateSeries: Uint32Array.from(states, (s) => s[0]),
    stateClass: Uint8Array.from(states, (s) => s[1]),
    moments: Float64Array.from(states.flatMap((s) => Array.from({ length: MOMENTS_STRIDE }, (_, k) => s[2][k] ?? EMPTY_MOMENTS[k]!))),
    binCount: Uint32Array.from(states, (s) => s[3].length),
    binKeys: Int32Array.from(states.flatMap((s) => s[3])),
    binCounts: Float64Array.from(states.flatMap((s) => s[4])),
    counterSeries: Uint32Array.from(body.counters, (c) => c[0]),
    counterValue: Float64Array.from(body.counters, (c) => c[1]),
    counterTs: Float64Array.from(body.counters, (c) => c[2]),
    counterStart: Float64Array.from(body.counters, (c) => c[3]),
  };
}
