import { gzipSync } from 'node:zlib';
import { labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable, type MetricBatch } from '../src/api';
import { encodeLogRecordsRequest, LogsProtoEncoder, MetricsProtoEncoder, RowGroups, SeriesEncodingCache } from '../src/otlp/encode';
import { checkProtoLogs, type OtlpLogRecords } from '../src/otlp/proto/logs-check';
import { otlpType } from '../test/fixtures/otlp/otlp-proto';
import { standardLogsRequest } from '../test/fixtures/otlp/standard-payloads';
import { sampleEvents } from '../test/otlp/encode/sample-events';
import { heapUsed, measure, report } from './report';

export const title = 'OTLP encode (protobuf): hand-written encoder vs protobufjs reflection, standard payload';

const NAMES = 20;
const SERIES = 1000;

/** The standard payload: 1000 series (20 names × 50, 4 labels each, half gauges, half counters), one point each. */
function standardBatch(table: SeriesTable, nowMs: number): MetricBatch {
  const b = new MetricBatchBuilder(SERIES);
  for (let s = 0; s < SERIES; s++) {
    const m = s % NAMES;
    const p = Math.floor(s / NAMES);
    const gauge = m < NAMES / 2;
    const labels = labelsFromRecord({ service: `svc-${p % 5}`, host: `host-${p}.example.internal`, region: `region-${p % 3}`, status: p % 2 ? 'ok' : 'error' });
    const id = table.intern(gauge ? `bench_gauge_${m}` : `bench_requests_${m}_total`, labels, gauge ? MetricKind.GAUGE : MetricKind.COUNTER, { unit: '1' });
    b.push(id, nowMs, m * 1000 + p + 0.5, undefined, gauge ? undefined : nowMs - 60_000);
  }
  return b.build();
}

/**
 * Items per second of process CPU time (the machine is shared: other processes stretch wall
 * time, not CPU time), around {@link measure}, whose warm-up calls are counted too.
 */
function cpuRate(itemsPerCall: number, fn: () => void, minMs: number): number {
  let calls = 0;
  const cpu0 = process.cpuUsage();
  measure(itemsPerCall, () => {
    fn();
    calls++;
  }, minMs);
  const used = process.cpuUsage(cpu0);
  return (calls * itemsPerCall) / ((used.user + used.system) / 1e6);
}

function ns(ms: number): string {
  return String(BigInt(Math.round(ms)) * 1_000_000n);
}

/** The same request as a plain object, the way an exporter built on protobufjs reflection holds it. */
function reflectionObject(table: SeriesTable, batch: MetricBatch): Record<string, unknown> {
  const metrics = new Map<string, { name: string; kind: MetricKind; points: Record<string, unknown>[] }>();
  for (let i = 0; i < batch.length; i++) {
    const info = table.info(batch.series[i]!);
    let m = metrics.get(info.name);
    if (!m) metrics.set(info.name, (m = { name: info.name, kind: info.kind, points: [] }));
    const attributes = [];
    for (let k = 0; k < info.labels.length; k += 2) attributes.push({ key: info.labels[k], value: { string_value: info.labels[k + 1] } });
    const start = batch.startTimes?.[i] ?? 0;
    m.points.push({ attributes, ...(start > 0 ? { start_time_unix_nano: ns(start) } : {}), time_unix_nano: ns(batch.timestamps[i]!), as_double: batch.values[i] });
  }
  const list = [...metrics.values()].map((m) =>
    m.kind === MetricKind.GAUGE
      ? { name: m.name, unit: '1', gauge: { data_points: m.points } }
      : { name: m.name, unit: '1', sum: { data_points: m.points, aggregation_temporality: 2, is_monotonic: true } },
  );
  return { resource_metrics: [{ resource: {}, scope_metrics: [{ scope: { name: 'nissa' }, metrics: list }] }] };
}

export async function run(): Promise<void> {
  const now = Date.now();
  const table = new SeriesTable();
  const batch = standardBatch(table, now);
  const heapBefore = heapUsed();
  const cache = new SeriesEncodingCache(table, { labelsToResource: true });
  const rows = new RowGroups(cache);
  const encoder = new MetricsProtoEncoder(cache);
  const encode = (): Uint8Array => {
    rows.group(batch, 0, batch.length);
    return encoder.encode(batch, rows);
  };
  const bytes = encode();
  const heapPerSeries = (heapUsed() - heapBefore) / SERIES;
  const type = otlpType('ExportMetricsServiceRequest');
  if ((type.decode(bytes) as unknown as { resource_metrics: unknown[] }).resource_metrics.length !== 1) throw new Error('bench payload did not encode');

  const message = type.fromObject(reflectionObject(table, batch));
  const reflection = cpuRate(batch.length, () => void type.encode(message).finish(), 2000);
  const reflectionWithBuild = cpuRate(batch.length, () => void type.encode(type.fromObject(reflectionObject(table, batch))).finish(), 2000);
  const handWritten = cpuRate(batch.length, () => void encode(), 2000);
  const withGzip = cpuRate(batch.length, () => void gzipSync(encode()), 2000);
  report({
    name: 'otlp metrics encode (group + protobuf, series cached), per CPU second',
    rate: handWritten,
    unit: 'datapoints',
    baseline: { name: 'protobufjs reflection Type.encode of the prebuilt request', rate: reflection },
    heapBytesPer: heapPerSeries,
    memoryUnit: 'series (encoding cache)',
    extra: {
      'vs reflection incl. building the object': `${(handWritten / reflectionWithBuild).toFixed(1)}x`,
      'with gzipSync': withGzip,
      'request bytes': bytes.length,
      'reflection bytes': type.encode(message).finish().length,
    },
  });

  const events = Array.from({ length: 10 }, sampleEvents).flat();
  const logsType = otlpType('ExportLogsServiceRequest');
  const logsEncoder = new LogsProtoEncoder();
  const logsMessage = logsType.decode(logsEncoder.encode(events));
  const logsReflection = cpuRate(events.length, () => void logsType.encode(logsMessage).finish(), 1500);
  const logs = cpuRate(events.length, () => void logsEncoder.encode(events), 1500);
  report({ name: 'otlp logs encode (events, protobuf), per CPU second', rate: logs, unit: 'events', baseline: { name: 'protobufjs reflection Type.encode', rate: logsReflection } });

  // A relay's path: records as the otlp receiver hands them on, sent as their bytes, against
  // building their events and encoding those (what a pipeline that reads events pays).
  const logsBody = standardLogsRequest(Date.now());
  const records = checkProtoLogs(logsBody, Date.now(), 3_600_000).batch.records as OtlpLogRecords[];
  const partial = [records[0]!.slice(0, 500), records[0]!.slice(501, 1000)];
  const built = cpuRate(1000, () => void logsEncoder.encode(records[0]!.build()), 1500);
  const whole = cpuRate(1000, () => void encodeLogRecordsRequest(records), 1500);
  const picked = cpuRate(999, () => void encodeLogRecordsRequest(partial), 1500);
  report({
    name: 'otlp logs pass-through (records as received, standard logs request), per CPU second',
    rate: picked,
    unit: 'records',
    baseline: { name: 'build events + hand-written encoder', rate: built },
    extra: { 'whole request (no record refused)': whole },
  });
}
