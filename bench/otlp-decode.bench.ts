import { decodeProtoLogs } from '../src/otlp/proto/logs-decoder';
import { ProtoMetricsDecoder } from '../src/otlp/proto/metrics-decoder';
import { DEFAULT_RESOURCE_TO_LABELS, ResourcePolicy } from '../src/otlp/resource-policy';
import { SeriesResolver } from '../src/otlp/series-resolver';
import { SeriesTable } from '../src/model/series-table';
import { otlpType } from '../test/fixtures/otlp/otlp-proto';
import { standardLogsRequest, standardMetricsRequest } from '../test/fixtures/otlp/standard-payloads';
import { heapUsed, report } from './report';

export const title = 'OTLP decode (protobuf): streaming decoder vs protobufjs reflection, standard payloads';

interface Rates {
  /** Items per second of process CPU time. */
  readonly cpu: number;
  /** Items per second of wall time. */
  readonly wall: number;
}

/**
 * The targets are "on one core": rates are per second of process CPU time, so that neighbours on
 * a shared machine (which stretch wall time) do not decide the figure. Wall rates are printed too.
 */
function measureRates(itemsPerCall: number, fn: () => void, minMs = 2000): Rates {
  for (let i = 0; i < 200; i++) fn(); // warm up the JIT past its tiers
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let calls = 0;
  let wallMs = 0;
  while (wallMs < minMs) {
    fn();
    calls++;
    wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const used = process.cpuUsage(cpu0);
  const items = calls * itemsPerCall;
  return { cpu: items / ((used.user + used.system) / 1e6), wall: items / (wallMs / 1000) };
}

export async function run(): Promise<void> {
  const now = Date.now();
  const metricsBody = standardMetricsRequest(now);
  const logsBody = standardLogsRequest(now);
  const decoder = new ProtoMetricsDecoder(new SeriesResolver(new SeriesTable(), new ResourcePolicy(DEFAULT_RESOURCE_TO_LABELS)), 3_600_000);
  if (decoder.decode(metricsBody, now).batch.length !== 1000) throw new Error('bench payload did not decode to 1000 points');
  if (decodeProtoLogs(logsBody, now, 3_600_000).events.length !== 1000) throw new Error('bench payload did not decode to 1000 records');

  const metricsType = otlpType('ExportMetricsServiceRequest');
  const logsType = otlpType('ExportLogsServiceRequest');

  const reflection = measureRates(1000, () => void metricsType.decode(metricsBody));
  const streaming = measureRates(1000, () => void decoder.decode(metricsBody, now));
  // The batch columns are typed arrays: their bytes live outside the JS heap, so count both.
  const memory = (): number => heapUsed() + process.memoryUsage().arrayBuffers;
  const before = memory();
  const kept: unknown[] = [];
  for (let i = 0; i < 100; i++) kept.push(decoder.decode(metricsBody, now).batch);
  const bytesPerPoint = (memory() - before) / (100 * 1000);
  kept.length = 0;
  const cold = measureRates(1000, () => {
    const fresh = new ProtoMetricsDecoder(new SeriesResolver(new SeriesTable(), new ResourcePolicy(DEFAULT_RESOURCE_TO_LABELS)), 3_600_000);
    fresh.decode(metricsBody, now);
  }, 1000);
  report({
    name: 'otlp metrics decode (streaming, series cached), per CPU second',
    rate: streaming.cpu,
    unit: 'datapoints',
    baseline: { name: 'protobufjs reflection Type.decode', rate: reflection.cpu },
    heapBytesPer: bytesPerPoint,
    memoryUnit: 'datapoint (retained batch, heap + array buffers)',
    target: 2_500_000,
    extra: { 'ratio target 8x': streaming.cpu / reflection.cpu >= 8 ? 'MET' : 'NOT MET', 'wall rate': streaming.wall, 'reflection wall': reflection.wall, 'all series new (cpu)': cold.cpu, 'request bytes': metricsBody.length },
  });

  const logsReflection = measureRates(1000, () => void logsType.decode(logsBody));
  const logs = measureRates(1000, () => void decodeProtoLogs(logsBody, now, 3_600_000));
  report({
    name: 'otlp logs decode (to events), per CPU second',
    rate: logs.cpu,
    unit: 'log records',
    baseline: { name: 'protobufjs reflection Type.decode', rate: logsReflection.cpu },
    target: 1_000_000,
    extra: { 'wall rate': logs.wall, 'reflection wall': logsReflection.wall, 'request bytes': logsBody.length },
  });
}
