import { decodeProtoLogs } from '../src/otlp/proto/logs-decoder';
import { ProtoMetricsDecoder } from '../src/otlp/proto/metrics-decoder';
import { DEFAULT_RESOURCE_TO_LABELS, ResourcePolicy } from '../src/otlp/resource-policy';
import { SeriesResolver } from '../src/otlp/series-resolver';
import { SeriesTable } from '../src/model/series-table';
import { otlpType } from '../test/fixtures/otlp/otlp-proto';
import { standardLogsRequest, standardMetricsRequest } from '../test/fixtures/otlp/standard-payloads';
import { heapUsed, measure, report } from './report';

export const title = 'OTLP decode (protobuf): streaming decoder vs protobufjs reflection';

export async function run(): Promise<void> {
  const now = Date.now();
  const metricsBody = standardMetricsRequest(now);
  const logsBody = standardLogsRequest(now);
  const decoder = new ProtoMetricsDecoder(new SeriesResolver(new SeriesTable(), new ResourcePolicy(DEFAULT_RESOURCE_TO_LABELS)), 3_600_000);
  if (decoder.decode(metricsBody, now).batch.length !== 1000) throw new Error('bench payload did not decode to 1000 points');

  const metricsType = otlpType('ExportMetricsServiceRequest');
  const logsType = otlpType('ExportLogsServiceRequest');
  const reflection = measure(1000, () => void metricsType.decode(metricsBody));
  const heapBefore = heapUsed();
  const kept: unknown[] = [];
  for (let i = 0; i < 100; i++) kept.push(decoder.decode(metricsBody, now).batch);
  const heapPerPoint = (heapUsed() - heapBefore) / (100 * 1000);
  kept.length = 0;
  const streaming = measure(1000, () => void decoder.decode(metricsBody, now));
  report({
    name: 'otlp metrics decode (streaming, cached series)',
    rate: streaming,
    unit: 'datapoints',
    baseline: { name: 'protobufjs reflection Type.decode', rate: reflection },
    heapBytesPer: heapPerPoint,
    memoryUnit: 'datapoint (retained batch)',
    target: 2_500_000,
    extra: { 'target ratio': '8x', 'ratio met': streaming / reflection >= 8 ? 'yes' : 'no', 'request bytes': metricsBody.length },
  });

  const logsReflection = measure(1000, () => void logsType.decode(logsBody));
  const logs = measure(1000, () => void decodeProtoLogs(logsBody, now, 3_600_000));
  report({
    name: 'otlp logs decode (to events)',
    rate: logs,
    unit: 'log records',
    baseline: { name: 'protobufjs reflection Type.decode', rate: logsReflection },
    target: 1_000_000,
    extra: { 'request bytes': logsBody.length },
  });
}
