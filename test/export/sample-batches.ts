import {
  alertBatch,
  controlBatch,
  eventBatch,
  labelsFromRecord,
  MetricBatchBuilder,
  MetricKind,
  STALE_NAN,
  type Batch,
  type SeriesTable,
} from '../../src/api';

/**
 * One batch of each signal covering every metric type and field of the file format, with the exact
 * JSON lines the format defines for them (docs/file-format.md). Shared by the formatter, file and
 * debug exporter tests.
 */
export function sampleBatches(table: SeriesTable): { batches: Batch[]; lines: string[] } {
  const gauge = table.intern('temp_celsius', labelsFromRecord({ room: 'a"b', floor: '1' }), MetricKind.GAUGE);
  const counter = table.intern('requests_total', labelsFromRecord({}), MetricKind.COUNTER);
  const hist = table.intern('latency_seconds', labelsFromRecord({ route: '/x' }), MetricKind.HISTOGRAM);
  const exp = table.intern('size_bytes', labelsFromRecord({}), MetricKind.EXP_HISTOGRAM);
  const summary = table.intern('rpc_seconds', labelsFromRecord({}), MetricKind.SUMMARY);

  const b = new MetricBatchBuilder(4);
  b.push(gauge, 1000, 21.5);
  b.push(gauge, 2000, NaN);
  b.push(gauge, 3000, Infinity);
  b.push(gauge, 4000, -Infinity);
  b.push(gauge, 5000, STALE_NAN);
  b.push(counter, 6000, 42, undefined, 500);
  b.setIdentity(7, 'req-1');
  b.push(hist, 7000, 12.5, { type: 'histogram', bounds: Float64Array.of(0.1, 1), counts: Float64Array.of(1, 2, 3), count: 6, sum: 12.5 });
  b.push(exp, 8000, 3, {
    type: 'exp_histogram', scale: 2, zeroCount: 1, positiveOffset: -1, positive: Float64Array.of(1, 2), negativeOffset: 0, negative: new Float64Array(0), count: 4, sum: 3, min: 0, max: 2.5,
  });
  b.push(summary, 9000, 15, { type: 'summary', quantiles: Float64Array.of(0.5, 0.99), values: Float64Array.of(1, 2), count: 10, sum: 15 });

  const events = eventBatch([
    {
      epoch: 3, requestId: 'r-9', topic: 'telemetry.seed.health', eventType: 'health_check', severityNumber: 13, severityText: 'WARN', timestampMs: 1234,
      attributes: { big: 9007199254740993n, raw: Uint8Array.of(1, 2, 3), list: [1, 'two', true, null], map: { nested: NaN } },
      body: { message: 'slow' },
      resource: { 'service.name': 'api' },
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    },
    { epoch: 3, requestId: 'r-10', topic: 't', eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: 1235, attributes: {}, body: 'plain' },
  ]);
  const alerts = alertBatch([
    { alertName: 'HighLatency', state: 'firing', severity: 'critical', labels: { job: 'api' }, annotations: { summary: 'p99 > 1s' }, startsAtMs: 100, endsAtMs: 0, epoch: 2, requestId: 'a-1' },
  ]);
  const control = controlBatch([{ command: 'set_mode', target: '', args: { mode: 'conservative' }, issuedAtMs: 50 }]);

  const lines = [
    '{"signal":"metrics","name":"temp_celsius","labels":{"floor":"1","room":"a\\"b"},"type":"gauge","value":21.5,"timestamp_ms":1000}',
    '{"signal":"metrics","name":"temp_celsius","labels":{"floor":"1","room":"a\\"b"},"type":"gauge","value":"NaN","timestamp_ms":2000}',
    '{"signal":"metrics","name":"temp_celsius","labels":{"floor":"1","room":"a\\"b"},"type":"gauge","value":"+Inf","timestamp_ms":3000}',
    '{"signal":"metrics","name":"temp_celsius","labels":{"floor":"1","room":"a\\"b"},"type":"gauge","value":"-Inf","timestamp_ms":4000}',
    '{"signal":"metrics","name":"temp_celsius","labels":{"floor":"1","room":"a\\"b"},"type":"gauge","value":"NaN","timestamp_ms":5000,"stale":true}',
    '{"signal":"metrics","name":"requests_total","labels":{},"type":"counter","value":42,"timestamp_ms":6000,"start_time_ms":500,"epoch":7,"request_id":"req-1"}',
    '{"signal":"metrics","name":"latency_seconds","labels":{"route":"/x"},"type":"histogram","value":12.5,"timestamp_ms":7000,"bucket_bounds":[0.1,1],"bucket_counts":[1,2,3],"count":6,"sum":12.5}',
    '{"signal":"metrics","name":"size_bytes","labels":{},"type":"exponential_histogram","value":3,"timestamp_ms":8000,"scale":2,"zero_count":1,"positive_offset":-1,"positive_bucket_counts":[1,2],"negative_offset":0,"negative_bucket_counts":[],"count":4,"sum":3,"min":0,"max":2.5}',
    '{"signal":"metrics","name":"rpc_seconds","labels":{},"type":"summary","value":15,"timestamp_ms":9000,"quantiles":[{"quantile":0.5,"value":1},{"quantile":0.99,"value":2}],"count":10,"sum":15}',
    '{"signal":"events","epoch":3,"request_id":"r-9","topic":"telemetry.seed.health","event_type":"health_check","severity_number":13,"severity_text":"WARN","timestamp_ms":1234,"attributes":{"big":"9007199254740993","raw":"AQID","list":[1,"two",true,null],"map":{"nested":"NaN"}},"body":{"message":"slow"},"resource":{"service.name":"api"},"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331"}',
    '{"signal":"events","epoch":3,"request_id":"r-10","topic":"t","event_type":"e","severity_number":9,"severity_text":"INFO","timestamp_ms":1235,"attributes":{},"body":"plain"}',
    '{"signal":"alerts","alert_name":"HighLatency","state":"firing","severity":"critical","labels":{"job":"api"},"annotations":{"summary":"p99 > 1s"},"starts_at_ms":100,"ends_at_ms":0,"epoch":2,"request_id":"a-1"}',
    '{"signal":"control","command":"set_mode","target":"","args":{"mode":"conservative"},"issued_at_ms":50}',
  ];
  return { batches: [b.build(), events, alerts, control], lines };
}
