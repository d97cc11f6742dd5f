import { labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable } from '../src/api';
import { DEFAULT_DECODE_LIMITS, encodeMetrics, MetricDecoder, nissaType } from '../src/nissa-codec';
import { heapUsed, measure, report } from './report';

export const title = 'nissa codec: metric points decoded from protobuf (10k points, 1k series, 6 labels)';

const POINTS = 10_000;
const SERIES = 1_000;
const NOW = Date.UTC(2026, 0, 1);
/** Batches kept alive while heap is measured. */
const KEEP = 20;

function requestBytes(): Uint8Array {
  const series = new SeriesTable();
  const ids: number[] = [];
  for (let s = 0; s < SERIES; s++) {
    ids.push(series.intern('http_server_requests_total', labelsFromRecord({
      service: `svc-${s % 20}`, region: ['eu-west-1', 'us-east-1', 'ap-south-1'][s % 3]!, method: ['GET', 'POST'][s % 2]!,
      status: String(200 + (s % 5)), instance: `10.0.${s >> 8}.${s & 255}:8080`, route: `/api/v1/items/${s % 50}`,
    }), MetricKind.COUNTER));
  }
  const b = new MetricBatchBuilder(POINTS);
  for (let i = 0; i < POINTS; i++) b.push(ids[i % SERIES]!, NOW - (i % 1000), i * 1.5);
  return encodeMetrics(b.build(), series).bytes;
}

export async function run(): Promise<void> {
  const bytes = Buffer.from(requestBytes());
  const decoder = new MetricDecoder(new SeriesTable(), DEFAULT_DECODE_LIMITS);
  const type = nissaType('nissa.v1.MetricBatch');

  const baseline = measure(POINTS, () => void type.decode(bytes));
  const streaming = measure(POINTS, () => {
    const r = decoder.decode(bytes, NOW);
    if (r.accepted !== POINTS) throw new Error(`decoded ${r.accepted} of ${POINTS}: ${r.firstError}`);
  });

  // Typed-array columns live outside the JS heap: count them too.
  const used = (): number => heapUsed() + process.memoryUsage().arrayBuffers;
  const heapOf = (decode: () => unknown): number => {
    const kept: unknown[] = [];
    const before = used();
    for (let i = 0; i < KEEP; i++) kept.push(decode());
    const after = used();
    if (kept.length !== KEEP) throw new Error('unreachable');
    return (after - before) / (KEEP * POINTS);
  };
  const heapStreaming = heapOf(() => decoder.decode(bytes, NOW).batch);
  const heapReflection = heapOf(() => type.decode(bytes));

  report({
    name: 'MetricDecoder (streaming, validating, series cache)',
    rate: streaming,
    unit: 'points',
    baseline: { name: 'protobufjs Type.decode (no validation)', rate: baseline },
    heapBytesPer: heapStreaming,
    memoryUnit: 'point retained',
    extra: { 'retained B/point (reflection)': heapReflection.toFixed(1), 'request bytes': bytes.length },
  });
}
