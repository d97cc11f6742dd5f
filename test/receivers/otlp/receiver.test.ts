import assert from 'node:assert/strict';
import { CircuitOpenError, PermanentError, RetryableError, type MetricBatch } from '../../../src/api';
import { encodeOtlpJson, otlpType } from '../../fixtures/otlp/otlp-proto';
import { config, gzip, NOW, post, startReceiver, TOKEN, type Reply } from './helpers';

const PB = 'application/x-protobuf';
const JSON_CT = 'application/json';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const T = `${BigInt(NOW - 1000) * 1_000_000n}`;
const str = (s: string) => ({ stringValue: s });

function gaugeDoc(points: Record<string, unknown>[]): Record<string, unknown> {
  return { resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: str('svc') }] }, scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: points } }] }] }] };
}
const good = (v: number, extra: Record<string, unknown> = {}) => ({ timeUnixNano: T, asDouble: v, attributes: [{ key: 'k', value: str('v') }], ...extra });
const GOOD_PB = encodeOtlpJson('ExportMetricsServiceRequest', gaugeDoc([good(1)]));

function nested(depth: number): unknown {
  let v: unknown = str('deep');
  for (let i = 0; i < depth; i++) v = { arrayValue: { values: [v] } };
  return v;
}

function invalidUtf8Label(): Buffer {
  const body = encodeOtlpJson('ExportMetricsServiceRequest', gaugeDoc([good(1), good(2, { attributes: [{ key: 'k', value: str('QQQQ') }] })]));
  const at = body.indexOf('QQQQ');
  body[at] = 0xc3;
  body[at + 1] = 0x28;
  return body;
}

function partial(reply: Reply, json: boolean): { rejected: number; message: string } {
  if (json) {
    const p = JSON.parse(reply.body.toString()).partialSuccess;
    return { rejected: Number(p?.rejectedDataPoints ?? 0), message: p?.errorMessage ?? '' };
  }
  const msg = otlpType('ExportMetricsServiceResponse').decode(reply.body).toJSON();
  return { rejected: Number(msg['partial_success']?.rejected_data_points ?? 0), message: msg['partial_success']?.error_message ?? '' };
}

function status(reply: Reply): { code: number; message: string } {
  if (reply.contentType.startsWith(JSON_CT)) return JSON.parse(reply.body.toString());
  const s = otlpType('Status').decode(reply.body).toJSON();
  return { code: s['code'] ?? 0, message: s['message'] ?? '' };
}

describe('otlp receiver over HTTP', function () {
  this.timeout(20_000);
  let rx: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    rx = await startReceiver(config({ max_request_body_size: '256KiB', auth: { bearer_token: TOKEN } }));
  });
  afterEach(async () => rx.stop());

  it('accepts protobuf and JSON metrics on /v1/metrics and answers an empty response', async () => {
    const pb = await post(`${rx.base}/v1/metrics`, GOOD_PB, PB, AUTH);
    assert.equal(pb.status, 200);
    assert.equal(pb.contentType, PB);
    assert.equal(pb.body.length, 0);
    const js = await post(`${rx.base}/v1/metrics`, JSON.stringify(gaugeDoc([good(2)])), JSON_CT, AUTH);
    assert.equal(js.status, 200);
    assert.deepEqual(JSON.parse(js.body.toString()), {});
    const sink = rx.output.sink('metrics');
    await sink.waitFor(2);
    const values = sink.batches.flatMap((b) => [...(b as MetricBatch).values]);
    assert.deepEqual(values, [1, 2]);
    const info = rx.ctx.series.info((sink.batches[0] as MetricBatch).series[0]!);
    assert.deepEqual([info.name, [...info.labels]], ['g', ['job', 'svc', 'k', 'v']]);
  });

  it('accepts gzip-compressed requests', async () => {
    const reply = await post(`${rx.base}/v1/metrics`, gzip(GOOD_PB), PB, { ...AUTH, 'content-encoding': 'gzip' });
    assert.equal(reply.status, 200);
    await rx.output.sink('metrics').waitFor(1);
  });

  it('refuses only the metric or scope whose name or unit holds a lone surrogate (JSON), keeping the rest', async () => {
    const metric = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra, gauge: { dataPoints: [good(1), good(2)] } });
    const doc = { resourceMetrics: [{ scopeMetrics: [{ metrics: [metric('ok_a'), metric('bad\ud800'), metric('bad_unit', { unit: 'x\udc00' }), metric('ok_b')] }] }] };
    const reply = await post(`${rx.base}/v1/metrics`, JSON.stringify(doc), JSON_CT, AUTH);
    assert.equal(reply.status, 200);
    assert.deepEqual(partial(reply, true), { rejected: 4, message: 'rejected 4 invalid data points: 4 invalid_utf8' });
    const logs = { resourceLogs: [{ scopeLogs: [
      { scope: { name: 'app\ud800' }, logRecords: [{ timeUnixNano: T, body: str('lost') }] },
      { scope: { name: 'app' }, logRecords: [{ timeUnixNano: T, body: str('kept') }] },
    ] }] };
    const logReply = await post(`${rx.base}/v1/logs`, JSON.stringify(logs), JSON_CT, AUTH);
    assert.equal(logReply.status, 200);
    assert.deepEqual(JSON.parse(logReply.body.toString()), { partialSuccess: { rejectedLogRecords: '1', errorMessage: 'rejected 1 invalid log records: 1 invalid_utf8' } });
    const metrics = rx.output.sink('metrics');
    await metrics.waitFor(4);
    const names = metrics.batches.flatMap((b) => [...(b as MetricBatch).series].map((id) => rx.ctx.series.info(id).name));
    assert.deepEqual(names, ['ok_a', 'ok_a', 'ok_b', 'ok_b']);
    const events = rx.output.sink('events');
    await events.waitFor(1);
    assert.deepEqual(events.batches.flatMap((b) => (b.signal === 'events' ? b.items.map((e) => e.body) : [])), ['kept']);
  });

  it('turns logs into events on /v1/logs', async () => {
    const doc = { resourceLogs: [{ scopeLogs: [{ scope: { name: 'app' }, logRecords: [
      { timeUnixNano: T, body: str('hello'), attributes: [{ key: 'request_id', value: str('r1') }] },
      { timeUnixNano: '0', body: str('no time') },
    ] }] }] };
    const reply = await post(`${rx.base}/v1/logs`, encodeOtlpJson('ExportLogsServiceRequest', doc), PB, AUTH);
    assert.equal(reply.status, 200);
    const answer = otlpType('ExportLogsServiceResponse').decode(reply.body).toJSON();
    assert.deepEqual(answer, { partial_success: { rejected_log_records: '1', error_message: 'rejected 1 invalid log records: 1 zero_timestamp' } });
    const json = await post(`${rx.base}/v1/logs`, JSON.stringify(doc), JSON_CT, AUTH);
    assert.deepEqual(JSON.parse(json.body.toString()), { partialSuccess: { rejectedLogRecords: '1', errorMessage: 'rejected 1 invalid log records: 1 zero_timestamp' } });
    const sink = rx.output.sink('events');
    await sink.waitFor(1);
    const batch = sink.batches[0]!;
    assert.equal(batch.signal, 'events');
    assert.deepEqual(batch.signal === 'events' && [batch.items[0]!.body, batch.items[0]!.requestId, batch.items[0]!.topic], ['hello', 'r1', 'app']);
  });

  it('answers every bad input with the right status while a concurrent good client keeps succeeding', async () => {
    const url = `${rx.base}/v1/metrics`;
    const bomb = gzip(Buffer.alloc(50 * 1024 * 1024));
    const cases: [string, () => Promise<Reply>, number, ((r: Reply) => void)?][] = [
      ['truncated protobuf', () => post(url, GOOD_PB.subarray(0, GOOD_PB.length - 4), PB, AUTH), 400, (r) => assert.equal(status(r).code, 3)],
      ['wrong wire type', () => post(url, Buffer.from([0x08, 0x01]), PB, AUTH), 400, (r) => assert.match(status(r).message, /wrong wire type/)],
      ['length prefix past the end', () => post(url, Buffer.from([0x0a, 0x7f, 0x01]), PB, AUTH), 400],
      ['varint over 10 bytes', () => post(url, Buffer.from([0x0a, ...new Array(11).fill(0x80)]), PB, AUTH), 400],
      ['malformed JSON', () => post(url, '{"resourceMetrics":', JSON_CT, AUTH), 400, (r) => assert.deepEqual([r.contentType, status(r).code], [JSON_CT, 3])],
      ['body over the limit', () => post(url, Buffer.alloc(300 * 1024, 0x0a), PB, AUTH), 413],
      ['gzip bomb', () => post(url, bomb, PB, { ...AUTH, 'content-encoding': 'gzip' }), 413],
      ['wrong content type', () => post(url, 'hello', 'text/plain', AUTH), 415],
      ['missing token', () => post(url, GOOD_PB, PB), 401],
      ['wrong token', () => post(url, GOOD_PB, PB, { authorization: 'Bearer nope' }), 401],
      ['unknown path', () => post(`${rx.base}/v1/traces`, GOOD_PB, PB, AUTH), 404],
    ];
    const partials: [string, Buffer | string, string, string][] = [
      ['deeply nested AnyValue', encodeOtlpJson('ExportMetricsServiceRequest', gaugeDoc([good(1), good(2, { attributes: [{ key: 'k', value: nested(40) }] })])), PB, 'nesting_too_deep'],
      ['invalid UTF-8 in a label', invalidUtf8Label(), PB, 'invalid_utf8'],
      // JSON's form of it: an escaped lone surrogate (JSON.stringify writes it as \ud800).
      ['a lone surrogate in a JSON label', JSON.stringify(gaugeDoc([good(1), good(2, { attributes: [{ key: 'k', value: str('x\ud800') }] })])), JSON_CT, 'invalid_utf8'],
      ['duplicate attribute keys', JSON.stringify(gaugeDoc([good(1), good(2, { attributes: [{ key: 'a', value: str('1') }, { key: 'a', value: str('2') }] })])), JSON_CT, 'duplicate_attribute_key'],
      ['NaN', JSON.stringify(gaugeDoc([good(1), good(0, { asDouble: 'NaN' })])), JSON_CT, 'non_finite_value'],
      ['+Inf', encodeOtlpJson('ExportMetricsServiceRequest', gaugeDoc([good(1), good(0, { asDouble: 'Infinity' })])), PB, 'non_finite_value'],
      ['-Inf', encodeOtlpJson('ExportMetricsServiceRequest', gaugeDoc([good(1), good(0, { asDouble: '-Infinity' })])), PB, 'non_finite_value'],
      ['a time far in the future', JSON.stringify(gaugeDoc([good(1), good(2, { timeUnixNano: `${BigInt(NOW + 86_400_000) * 1_000_000n}` })])), JSON_CT, 'future_timestamp'],
      ['a zero time', encodeOtlpJson('ExportMetricsServiceRequest', gaugeDoc([good(1), good(2, { timeUnixNano: '0' })])), PB, 'zero_timestamp'],
      ['histogram buckets not matching bounds', JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [
        { name: 'g', gauge: { dataPoints: [good(1)] } },
        { name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T, count: '3', sum: 1, bucketCounts: ['1', '2'], explicitBounds: [1, 2] }] } },
      ] }] }] }), JSON_CT, 'histogram_bucket_mismatch'],
    ];

    let goodOk = 0;
    let stop = false;
    const goodClient = (async () => {
      while (!stop) {
        const r = await post(url, GOOD_PB, PB, AUTH);
        assert.equal(r.status, 200, 'the good client must keep succeeding');
        goodOk++;
      }
    })();
    try {
      await Promise.all(cases.map(async ([what, send, expected, check]) => {
        const reply = await send();
        assert.equal(reply.status, expected, what);
        check?.(reply);
      }));
      await Promise.all(partials.map(async ([what, body, ct, reason]) => {
        const reply = await post(url, body, ct, AUTH);
        assert.equal(reply.status, 200, what);
        const p = partial(reply, ct === JSON_CT);
        assert.equal(p.rejected, 1, what);
        assert.match(p.message, new RegExp(reason), what);
      }));
    } finally {
      stop = true;
      await goodClient;
    }
    assert.ok(goodOk > 0);
    assert.ok((rx.ctx.telemetry.drops.get('malformed_request') ?? 0) >= 5);
    assert.equal(rx.ctx.telemetry.drops.get('non_finite_value'), 3);
  });

  it('keeps the exact value of 64-bit integers above 2^53 in JSON where the model can', async () => {
    const doc = gaugeDoc([{ timeUnixNano: `${BigInt(NOW) * 1_000_000n - 1n}`, asInt: '9007199254740993', attributes: [{ key: 'id', value: { intValue: '18446744073709' + '551' } }] }]);
    const reply = await post(`${rx.base}/v1/metrics`, JSON.stringify(doc), JSON_CT, AUTH);
    assert.equal(reply.status, 200);
    const sink = rx.output.sink('metrics');
    await sink.waitFor(1);
    const batch = sink.batches[0] as MetricBatch;
    assert.equal(batch.values[0], 9007199254740992);
    assert.equal(batch.timestamps[0], NOW - 0.000001);
    assert.deepEqual([...rx.ctx.series.info(batch.series[0]!).labels], ['id', '18446744073709551', 'job', 'svc']);
  });

  it('passes the pipeline refusal back as 429/503 with Retry-After and a Status body', async () => {
    const sink = rx.output.sink('metrics');
    sink.failWith = new RetryableError('queue full', { retryAfterMs: 2000, code: 'ERR_QUEUE_FULL' });
    const busy = await post(`${rx.base}/v1/metrics`, GOOD_PB, PB, AUTH);
    assert.deepEqual([busy.status, busy.retryAfter, status(busy).code], [429, '2', 8]);
    sink.failWith = new CircuitOpenError('exporter/x', 5000);
    const open = await post(`${rx.base}/v1/metrics`, JSON.stringify(gaugeDoc([good(1)])), JSON_CT, AUTH);
    assert.deepEqual([open.status, open.retryAfter, status(open).code], [503, '5', 14]);
    sink.failWith = new Error('disk on fire');
    const odd = await post(`${rx.base}/v1/metrics`, GOOD_PB, PB, AUTH);
    assert.deepEqual([odd.status, odd.retryAfter], [503, '1'], 'a refusal is transient unless permanent: never 500');
    sink.failWith = new PermanentError('bad data');
    assert.equal((await post(`${rx.base}/v1/metrics`, GOOD_PB, PB, AUTH)).status, 400);
  });

  it('refuses with 503 and Retry-After in emergency mode, before decoding', async () => {
    rx.ctx.host.setMode('emergency');
    const reply = await post(`${rx.base}/v1/metrics`, Buffer.from([0xff]), PB, AUTH);
    assert.equal(reply.status, 503);
    assert.ok(reply.retryAfter !== null);
    assert.equal(rx.ctx.telemetry.drops.get('malformed_request'), undefined);
  });
});

describe('otlp receiver routes follow the pipelines', () => {
  it('answers 404 on /v1/logs when no events pipeline takes its data', async () => {
    const rx = await startReceiver(config(), ['metrics']);
    try {
      const logs = await post(`${rx.base}/v1/logs`, Buffer.alloc(0), PB);
      assert.equal(logs.status, 404);
      const metrics = await post(`${rx.base}/v1/metrics`, GOOD_PB, PB);
      assert.equal(metrics.status, 200);
    } finally {
      await rx.stop();
    }
  });
});
