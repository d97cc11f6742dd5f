import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetricKind } from '../../src/api';
import { LogMapping } from '../../src/sketch';
import type { Downsampler } from './downsampler';
import type { SeriesClass } from './tier-state';

export const CHECKPOINT_FORMAT = 'nissa-downsample-checkpoint';
export const CHECKPOINT_VERSION = 1;

type Num = number | null;
/** [series index, class, 8 moments, sketch keys, sketch counts] */
type StateRow = [number, number, Num[], number[], number[]];

/** The body of a checkpoint. Series go by name and labels: ids are not stable across restarts. */
export interface CheckpointBody {
  readonly horizon: Num;
  readonly relative_accuracy: number;
  readonly series: [string, string[], number][];
  readonly tiers: { name: string; interval_ms: number; windows: { start: number; states: StateRow[] }[] }[];
  readonly counters: [number, number, number, number][];
}

/** JSON has no NaN or infinities; they travel as null and come back by field. */
const toJson = (v: number): Num => (Number.isFinite(v) ? v : null);

/** Captures the open windows and counter baselines of a downsampler. */
export function snapshot(ds: Downsampler): CheckpointBody {
  const seriesIndex = new Map<number, number>();
  const series: [string, string[], number][] = [];
  const indexOf = (sid: number): number => {
    let i = seriesIndex.get(sid);
    if (i === undefined) {
      const info = ds.series.info(sid);
      i = series.length;
      series.push([info.name, [...info.labels], info.kind]);
      seriesIndex.set(sid, i);
    }
    return i;
  };
  const tiers = ds.tiers.map((t) => ({
    name: t.spec.name,
    interval_ms: t.spec.intervalMs,
    windows: [...t.windows.values()].map((w) => {
      const states: StateRow[] = [];
      for (let j = 0; j < w.count; j++) {
        const slot = w.members[j]!;
        const bins = t.sketches?.bins(slot) ?? { keys: [], counts: [] };
        states.push([indexOf(t.sidOf[slot]!), t.classOf[slot]!, t.moments.read(slot).map(toJson), bins.keys, bins.counts]);
      }
      return { start: w.start, states };
    }),
  }));
  const counters: [number, number, number, number][] = [];
  for (const [sid, value, ts, start] of ds.counters.entries()) {
    if (ds.series.has(sid)) counters.push([indexOf(sid), value, ts, start]);
  }
  return { horizon: toJson(ds.horizon), relative_accuracy: ds.options.relativeAccuracy, series, tiers, counters };
}

/**
 * Loads a checkpoint into a fresh downsampler. Tiers are matched by name and interval; windows of
 * tiers that no longer exist are skipped and counted in the result.
 */
export function restore(ds: Downsampler, body: CheckpointBody): { states: number; skippedTiers: string[] } {
  const sids = body.series.map(([name, labels, kind]) => ds.series.intern(name, Object.freeze(labels), kind as MetricKind));
  const oldMapping = body.relative_accuracy === ds.options.relativeAccuracy ? undefined : new LogMapping(body.relative_accuracy);
  let states = 0;
  const skippedTiers: string[] = [];
  for (const saved of body.tiers) {
    const tier = ds.tiers.find((t) => t.spec.name === saved.name && t.spec.intervalMs === saved.interval_ms);
    if (tier === undefined) {
      if (saved.windows.length > 0) skippedTiers.push(saved.name);
      continue;
    }
    for (const w of saved.windows) {
      const win = tier.window(w.start);
      for (const [si, cls, moments, keys, counts] of w.states) {
        const slot = tier.slot(win, sids[si]!, cls as SeriesClass);
        tier.moments.write(slot, [
          moments[0] ?? 0, moments[1] ?? NaN, moments[2] ?? NaN, moments[3] ?? NaN,
          moments[4] ?? Infinity, moments[5] ?? -Infinity, moments[6] ?? NaN, moments[7] ?? -Infinity,
        ]);
        if (tier.sketches) {
          for (let b = 0; b < keys.length; b++) {
            if (oldMapping) tier.sketches.add(slot, oldMapping.valueOf(keys[b]!), counts[b]!);
            else tier.sketches.addKey(slot, keys[b]!, counts[b]!);
          }
        }
        states++;
      }
    }
  }
  for (const [si, value, ts, start] of body.counters) ds.counters.set(sids[si]!, value, ts, start);
  if (body.horizon !== null && body.horizon > ds.horizon) ds.horizon = body.horizon;
  return { states, skippedTiers };
}

/** Writes `body` to `<dir>/<name>` atomically: a temp file with a checksummed header, then rename. */
export async function writeCheckpoint(directory: string, name: string, body: CheckpointBody): Promise<void> {
  await mkdir(directory, { recursive: true });
  const text = JSON.stringify(body);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const header = JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, sha256, bytes: Buffer.byteLength(text) });
  const path = join(directory, name);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${header}\n${text}`);
  await rename(tmp, path);
}

/**
 * Reads a checkpoint. Resolves undefined when there is none; rejects with a message fit for a
 * log line when it exists but is unreadable (wrong format or version, checksum mismatch, bad JSON).
 */
export async function readCheckpoint(directory: string, name: string): Promise<CheckpointBody | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const nl = text.indexOf('\n');
  if (nl < 0) throw new Error('checkpoint has no header');
  const header = JSON.parse(text.slice(0, nl)) as { format?: string; version?: number; sha256?: string };
  if (header.format !== CHECKPOINT_FORMAT) throw new Error(`not a downsample checkpoint (format ${String(header.format)})`);
  if (header.version !== CHECKPOINT_VERSION) throw new Error(`unsupported checkpoint version ${String(header.version)}`);
  const body = text.slice(nl + 1);
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (sha256 !== header.sha256) throw new Error('checkpoint checksum mismatch');
  return JSON.parse(body) as CheckpointBody;
}
