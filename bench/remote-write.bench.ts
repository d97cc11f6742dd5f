import { MetricBatchBuilder, MetricKind, NO_LABELS, SeriesTable, labelsFromRecord, type MetricBatch } from '../src/api';
import { SeriesCache, WriteRequestDecoder, WriteRequestEncoder, compressBodySync } from '../src/prometheus/remote-write';
import { planShards } from '../exporters/prometheus_remote_write/shard-plan';
import { loadWriteRequestType } from '../src/prometheus/remote-write/reference-schema';
import { heapUsed, measure, report } from './report';

export const title = 'prometheus remote write: WriteRequest encode + snappy, decode (10k samples per request)';

const SERIES = 10_000;
const T0 = Date.UTC(2026, 0, 1);
const ROUTES = ['/', '/api/users', '/api/orders', '/api/items', '/login', '/logout', '/health', '/metrics', '/api/cart', '/api/search'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = ['200', '201', '400', '404', '500'];

/**
 * The standard payload: 10,000 series of 20 HTTP-server-like metrics over 50 instances (labels
 * job, instance, method, route, status), one sample each, as a scrape would produce.
 */
export function standardSeries(table: SeriesTable, n = SERIES, prefix = ''): Uint32Array {
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const labels = labelsFromRecord({
      job: 'api-server',
      instance: `10.0.${(i % 50) >> 4}.${i % 50}:9100`,
      method: METHODS[i % 4]!,
      route: ROUTES[(i >> 2) % 10]!,
      status: STATUSES[(i >> 5) % 5]!,
      shard: String(i >> 8),
    });
    ids[i] = table.intern(`${prefix}http_server_metric_${i % 20}`, labels, i % 2 === 0 ? MetricKind.COUNTER : MetricKind.GAUGE);
  }
  return ids;
}

/**
 * Items per CPU-second of this process (user + system). The machine running the bench may be
 * shared; CPU time is what "on one core" means and does not move with other load.
 */
function measureCpu(itemsPerCall: number, fn: () => void, minMs = 1500): number {
  for (let i = 0; i < 3; i++) fn();
  const start = process.cpuUsage();
  const wall = Date.now();
  let calls = 0;
  while (Date.now() - wall < minMs) {
    fn();
    calls++;
  }
  const used = process.cpuUsage(start);
  return (calls * itemsPerCall) / ((used.user + used.system) / 1e6);
}

function batchOf(ids: Uint32Array, t: number): MetricBatch {
  const b = new MetricBatchBuilder(ids.length);
  for (let i = 0; i < ids.length; i++) b.push(ids[i]!, t, (i * 7919) % 100_000 + 0.5);
  return b.build();
}

/** What a straightforward exporter does: build the message objects, encode by reflection. */
function reflectionEncode(type: ReturnType<typeof loadWriteRequestType>, table: SeriesTable, batch: MetricBatch): Uint8Array {
  const timeseries = [];
  for (let i = 0; i < batch.length; i++) {
    const info = table.info(batch.series[i]!);
    const labels = [{ name: '__name__', value: info.name }];
    for (let k = 0; k < info.labels.length; k += 2) labels.push({ name: info.labels[k]!, value: info.labels[k + 1]! });
    timeseries.push({ labels, samples: [{ value: batch.values[i]!, timestamp: batch.timestamps[i]! }] });
  }
  return type.encode(type.create({ timeseries })).finish();
}

export async function run(): Promise<void> {
  const table = new SeriesTable();
  const ids = standardSeries(table);
  const batch = batchOf(ids, T0);
  const rows = Uint32Array.from({ length: batch.length }, (_, i) => i);
  const encoder = new WriteRequestEncoder(table, { externalLabels: NO_LABELS, addSuffixes: false, sendMetadata: false });
  const WriteRequest = loadWriteRequestType();

  const protobuf = encoder.encode(batch, rows).slice();
  const compressed = compressBodySync(protobuf);
  const ratio = compressed.length / protobuf.length;
  const encodeOnly = measureCpu(SERIES, () => void encoder.encode(batch, rows));
  const snappyOnly = measureCpu(SERIES, () => void compressBodySync(protobuf));
  const encodeSnappy = measureCpu(SERIES, () => void compressBodySync(encoder.encode(batch, rows)));
  const encodeSnappyWall = measure(SERIES, () => void compressBodySync(encoder.encode(batch, rows)));
  const baseline = measureCpu(SERIES, () => void compressBodySync(reflectionEncode(WriteRequest, table, batch)));
  report({
    name: 'encode + snappy (sync, samples per CPU-second)',
    rate: encodeSnappy,
    unit: 'samples',
    baseline: { name: 'protobufjs reflection encode + snappy', rate: baseline },
    target: 2_000_000,
    extra: {
      'encode alone /cpu-s': encodeOnly,
      'snappy alone /cpu-s': snappyOnly,
      'wall-clock /s': encodeSnappyWall,
      'compression ratio': `${ratio.toFixed(3)} (target <= 0.15 ${ratio <= 0.15 ? 'MET' : 'NOT MET'})`,
      'bytes/sample': `${(protobuf.length / SERIES).toFixed(1)} raw, ${(compressed.length / SERIES).toFixed(1)} snappy`,
    },
  });

  // The exporter's CPU per batch with its default 4 shards: plan, encode each shard's request into
  // a buffer taken from its encoder (no copy), compress (here on this thread, to count its CPU).
  const shardOpts = { externalLabels: NO_LABELS, addSuffixes: false, sendMetadata: false };
  const shardCache = new SeriesCache(table, shardOpts);
  const shardEncoders = Array.from({ length: 4 }, () => new WriteRequestEncoder(table, shardOpts, shardCache));
  const exporterCpu = measureCpu(SERIES, () => {
    const plan = planShards(batch, table, shardCache, shardEncoders.length, 10_000);
    plan.rows.forEach((shardRows, shard) => {
      const enc = shardEncoders[shard]!;
      for (const c of plan.chunks[shard]!) {
        enc.encode(batch, shardRows.subarray(c.start, c.end));
        const bytes = enc.take();
        compressBodySync(bytes);
        enc.recycle(bytes);
      }
    });
  });
  report({ name: 'exporter path: plan + encode + snappy, 4 shards (samples per CPU-second)', rate: exporterCpu, unit: 'samples', target: 2_000_000 });

  // Memory of the per-series label cache: a first 100k series grow the encoder's buffers, then
  // 100k more series are encoded once and only the growth is counted.
  const bigTable = new SeriesTable();
  const bigEncoder = new WriteRequestEncoder(bigTable, { externalLabels: NO_LABELS, addSuffixes: false, sendMetadata: false });
  const bigRows = Uint32Array.from({ length: 100_000 }, (_, i) => i);
  bigEncoder.encode(batchOf(standardSeries(bigTable, 100_000, 'warm_'), T0), bigRows);
  const bigBatch = batchOf(standardSeries(bigTable, 100_000, 'mem_'), T0);
  const before = heapUsed() + process.memoryUsage().arrayBuffers;
  bigEncoder.encode(bigBatch, bigRows);
  const after = heapUsed() + process.memoryUsage().arrayBuffers;
  const perSeries = (after - before) / bigBatch.length;

  // Decode (receiver path): snappy inflate + decode into a batch, series already known.
  const dstTable = new SeriesTable();
  const decoder = new WriteRequestDecoder(dstTable);
  const body = Buffer.from(compressed);
  const { uncompressSync } = await import('snappy');
  const decodeRate = measureCpu(SERIES, () => {
    const out = new MetricBatchBuilder(SERIES);
    decoder.decode(uncompressSync(body, { asBuffer: true }) as Buffer, out);
    out.build();
  });
  const reflectionDecode = measureCpu(SERIES, () => void WriteRequest.decode(uncompressSync(body, { asBuffer: true }) as Buffer));
  report({
    name: 'snappy + decode into a batch (receiver path, known series, per CPU-second)',
    rate: decodeRate,
    unit: 'samples',
    baseline: { name: 'snappy + protobufjs decode to objects', rate: reflectionDecode },
    heapBytesPer: perSeries,
    memoryUnit: 'series (encoder label cache)',
  });
}
