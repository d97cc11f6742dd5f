import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import {
  CircuitOpenError, RetryableError, type AlertBatch, type ControlBatch, type EventBatch, type MetricBatch, type ReceiverInstance, type Signal,
} from '../../../src/api';
import { nissaType } from '../../../src/nissa-codec';
import { CollectingOutput, FakeClock, receiverContext } from '../../../src/testing';
import { pluginConfig } from '../../../src/testing/plugin-config';
import { plugin } from '../../../receivers/nissa';
import type { NissaReceiverConfig } from '../../../receivers/nissa/config';
import { send, type TestResponse } from '../../http/http-client';
import { encodeObject, gauge, NOW } from '../../nissa-codec/fixtures';

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };
const IngestResponse = nissaType('nissa.v1.IngestResponse');

function ingest(res: TestResponse): { accepted: number; rejected: number; first_error: string } {
  if (String(res.headers['content-type']).startsWith('application/json')) return { accepted: 0, rejected: 0, first_error: '', ...JSON.parse(res.body.toString()) };
  return IngestResponse.toObject(IngestResponse.decode(res.body), { defaults: true }) as { accepted: number; rejected: number; first_error: string };
}

describe('nissa receiver', () => {
  let instance: ReceiverInstance | undefined;
  afterEach(async () => {
    await instance?.shutdown?.();
    instance = undefined;
  });

  async function start(signals: Signal[] = ['metrics', 'events', 'alerts', 'control'], partial: Record<string, unknown> = {}) {
    const output = new CollectingOutput(signals);
    const config = pluginConfig<NissaReceiverConfig>(plugin, { endpoint: '127.0.0.1:0', ...partial });
    const ctx = receiverContext({ id: 'nissa', config, output, clock: new FakeClock(NOW) });
    instance = plugin.create(ctx);
    await instance.start!();
    const post = (signal: string, body: Uint8Array | string, headers: Record<string, string> = PROTO) =>
      send({ address: instance!.address!(), path: `/v1/nissa/${signal}`, headers, body: Buffer.from(body) });
    return { output, ctx, post };
  }

  it('defaults to 127.0.0.1:4319 and documents every option', () => {
    const config = pluginConfig<NissaReceiverConfig>(plugin, {});
    assert.equal(config.endpoint, '127.0.0.1:4319');
    assert.equal(config.max_request_body_size, '20MiB');
    const props = (plugin.configSchema as { properties: Record<string, { description?: string }> }).properties;
    for (const [key, prop] of Object.entries(props)) assert.ok(prop.description, `${key} has a description`);
  });

  it('takes protobuf metrics (gzip too) into the metrics pipeline', async () => {
    const { output, ctx, post } = await start();
    const body = encodeObject('metrics', { points: [gauge('up', { job: 'a' }, 1), gauge('up', { job: 'b' }, 0)] });
    const res = await post('metrics', gzipSync(body), { ...PROTO, 'content-encoding': 'gzip' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(ingest(res), { accepted: 2, rejected: 0, first_error: '' });
    const batch = output.sink('metrics').batches[0] as MetricBatch;
    assert.deepEqual([...batch.series].map((id) => ctx.series.info(id).labels), [['job', 'a'], ['job', 'b']]);
    assert.deepEqual([...batch.values], [1, 0]);
  });

  it('keeps the valid items of a mixed request, counts the rest by reason, and says why', async () => {
    const { output, ctx, post } = await start();
    const body = encodeObject('metrics', { points: [gauge('ok'), gauge('bad-name'), gauge('ok2', {}, NaN)] });
    const res = await post('metrics', body);
    assert.equal(res.status, 200);
    const answer = ingest(res);
    assert.equal(answer.accepted, 1);
    assert.equal(answer.rejected, 2);
    assert.match(answer.first_error, /item 1: invalid metric name/);
    assert.equal(output.sink('metrics').items, 1);
    assert.equal(ctx.telemetry.drops.get('invalid_metric_name'), 1);
    assert.equal(ctx.telemetry.drops.get('invalid_value'), 1);
  });

  it('answers 400 when nothing is valid or the message is malformed', async () => {
    const { output, post } = await start();
    const none = await post('metrics', encodeObject('metrics', { points: [gauge('1bad')] }));
    assert.equal(none.status, 400);
    assert.equal(ingest(none).rejected, 1);
    const broken = await post('metrics', Buffer.from([0x0a, 0x7f, 0x01]));
    assert.equal(broken.status, 400);
    assert.match(ingest(broken).first_error, /malformed message/);
    const badJson = await post('events', '{"events": 3', JSON_CT);
    assert.equal(badJson.status, 400);
    assert.match(ingest(badJson).first_error, /invalid JSON/);
    assert.equal(output.sink('metrics').items, 0);
  });

  it('takes JSON events and answers in JSON', async () => {
    const { output, post } = await start();
    const body = JSON.stringify({ events: [{ topic: 'orders', event_type: 'created', severity_number: 'SEVERITY_NUMBER_WARN', timestamp_ms: NOW, attributes: [{ key: 'n', value: { int_value: 3 } }], body: { string_value: 'hi' } }] });
    const res = await post('events', body, { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), { accepted: 1, rejected: 0 });
    const ev = (output.sink('events').batches[0] as EventBatch).items[0]!;
    assert.deepEqual([ev.topic, ev.severityNumber, ev.severityText, ev.attributes, ev.body], ['orders', 13, 'WARN', { n: 3 }, 'hi']);
  });

  it('routes alerts and control commands to their signals', async () => {
    const { output, post } = await start();
    const alerts = encodeObject('alerts', { alerts: [{ alert_name: 'Down', state: 'ALERT_STATE_FIRING', starts_at_ms: NOW }] });
    assert.equal((await post('alerts', alerts)).status, 200);
    const control = encodeObject('control', { commands: [{ command: 'set_mode', args: { mode: 'conservative' }, issued_at_ms: NOW }] });
    assert.equal((await post('control', control)).status, 200);
    assert.equal((output.sink('alerts').batches[0] as AlertBatch).items[0]!.alertName, 'Down');
    assert.deepEqual((output.sink('control').batches[0] as ControlBatch).items[0]!.args, { mode: 'conservative' });
  });

  it('answers 404 for signals no pipeline takes from it', async () => {
    const { post } = await start(['metrics']);
    const res = await post('events', encodeObject('events', { events: [] }));
    assert.equal(res.status, 404);
    assert.equal((await post('metrics', encodeObject('metrics', { points: [] }))).status, 200);
  });

  it('passes pipeline back-pressure to the client as 429/503 with Retry-After', async () => {
    const { output, post } = await start();
    const body = encodeObject('metrics', { points: [gauge('up')] });
    output.sink('metrics').failWith = new RetryableError('queue full', { code: 'ERR_QUEUE_FULL', retryAfterMs: 2000 });
    const full = await post('metrics', body);
    assert.equal(full.status, 429);
    assert.equal(full.headers['retry-after'], '2');
    assert.equal(full.headers['content-type'], 'application/x-protobuf');
    assert.match(ingest(full).first_error, /queue full/);
    output.sink('metrics').failWith = new CircuitOpenError('exporter/remote', 30_000);
    const open = await post('metrics', body);
    assert.equal(open.status, 503);
    assert.equal(open.headers['retry-after'], '30');
  });

  it('refuses in emergency mode and applies configured limits', async () => {
    const { ctx, post } = await start(undefined, { max_labels: 1, max_age: '1m' });
    const res = await post('metrics', encodeObject('metrics', { points: [gauge('a', { x: '1', y: '2' }), { ...gauge('b'), timestamp_ms: NOW - 120_000 }, gauge('c')] }));
    assert.equal(res.status, 200);
    assert.deepEqual(Object.fromEntries(ctx.telemetry.drops), { invalid_too_many_labels: 1, invalid_timestamp: 1 });
    ctx.host.setMode('emergency');
    const refused = await post('metrics', encodeObject('metrics', { points: [gauge('a')] }));
    assert.equal(refused.status, 503);
    assert.ok(refused.headers['retry-after']);
  });
});
