import type { SeriesCache } from '../../src/prometheus/remote-write';
// From the module itself, not the folder's index, whose re-exports are getters (called per row).
import { samplesOfRow, isExportable } from '../../src/prometheus/remote-write/write-request-encoder';
import type { MetricBatch, SeriesTable } from '../../src/api';

/** A request's rows: `rows[start, end)` of its shard. */
export interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly samples: number;
}

export interface ShardPlan {
  /** Row indices per shard, in batch order. */
  readonly rows: Uint32Array[];
  readonly chunks: Chunk[][];
  /** Rows left out: series gone from the table, or kinds remote write cannot carry (delta counters). */
  readonly unknownSeries: number;
  readonly deltaRows: number;
}

/**
 * Consecutive series ids per shard block. Ids are handed out in the order series are first seen,
 * and the encoder's cached label bytes sit in memory in that order too: a shard that takes blocks
 * of neighbours reads them nearly sequentially. Hashing single ids made every shard jump through
 * memory, and encoding took half as long again (bench remote-write, 4 shards). Blocks spread well
 * once there are a few hundred series; below that, a batch is cheap anyway.
 */
const BLOCK_SHIFT = 6;

/** The shard of a series: a multiplicative hash of its block of ids, so neighbouring blocks spread. */
export function shardOf(seriesId: number, shards: number): number {
  return (Math.imul(seriesId >>> BLOCK_SHIFT, 0x9e3779b1) >>> 0) % shards;
}

/**
 * Splits a batch by shard (each series always on the same shard), then each shard's rows into
 * requests of at most `maxSamples` expanded samples. Deterministic, so a retried batch maps to the
 * same requests and those already sent can be skipped.
 */
export function planShards(batch: MetricBatch, table: SeriesTable, cache: SeriesCache, shards: number, maxSamples: number): ShardPlan {
  // 255 marks a row left out, hence at most 255 shards.
  const shardIds = new Uint8Array(batch.length);
  const counts = new Uint32Array(shards);
  const rowSamples = new Uint32Array(batch.length);
  let unknownSeries = 0;
  let deltaRows = 0;
  // Read once, not per row: batches come in several shapes (a polymorphic lookup each time).
  const series = batch.series;
  for (let i = 0; i < batch.length; i++) {
    const id = series[i]!;
    if (!table.has(id)) {
      unknownSeries++;
      shardIds[i] = 255;
      continue;
    }
    const kind = cache.get(id).kind;
    if (!isExportable(kind)) {
      deltaRows++;
      shardIds[i] = 255;
      continue;
    }
    const s = shardOf(id, shards);
    shardIds[i] = s;
    counts[s]!++;
    rowSamples[i] = samplesOfRow(batch, i, kind);
  }
  const rows = Array.from(counts, (n) => new Uint32Array(n));
  const fill = new Uint32Array(shards);
  for (let i = 0; i < batch.length; i++) {
    const s = shardIds[i]!;
    if (s !== 255) rows[s]![fill[s]!++] = i;
  }
  const chunks = rows.map((shardRows) => chunk(shardRows, rowSamples, maxSamples));
  return { rows, chunks, unknownSeries, deltaRows };
}

function chunk(rows: Uint32Array, rowSamples: Uint32Array, maxSamples: number): Chunk[] {
  const out: Chunk[] = [];
  let start = 0;
  let samples = 0;
  for (let k = 0; k < rows.length; k++) {
    const n = rowSamples[rows[k]!]!;
    if (samples > 0 && samples + n > maxSamples) {
      out.push({ start, end: k, samples });
      start = k;
      samples = 0;
    }
    samples += n;
  }
  if (rows.length > start) out.push({ start, end: rows.length, samples });
  return out;
}
