import { strict as assert } from 'node:assert';
import { encodeEvents, encodeMetrics } from '../../src/nissa-codec';
import { MetricBatchBuilder, MetricKind, SeriesTable, labelsFromRecord } from '../../src/api';
import { concatPayloads, payloadBytes, UndecodablePayload } from '../../src/bus/payload';
import { Framing, inspect, writeItemPrefix } from '../../src/bus/proto-framing';
import { defaultSignalOf, topicSetting } from '../../src/bus/topics';
import { busEvent, eventItemBytes } from './fixtures';

const auto = { signal: 'auto', format: 'auto' } as const;
const framing = (buf: Buffer): Framing => inspect(buf, { framing: Framing.BROKEN, metric: false }).framing;

function metricBatchBytes(): Buffer {
  const series = new SeriesTable();
  const id = series.intern('seed_loss', labelsFromRecord({ seed: 'a' }), MetricKind.GAUGE);
  const b = new MetricBatchBuilder(1);
  b.push(id, Date.now(), 0.25);
  return Buffer.from(encodeMetrics(b.build(), series).bytes);
}

describe('bus payloads', () => {
  it('tells a batch from a single item, and refuses broken framing', () => {
    const item = eventItemBytes(busEvent('r1'));
    assert.equal(framing(Buffer.from(encodeEvents([busEvent('a'), busEvent('b')]))), Framing.BATCH);
    assert.equal(framing(item), Framing.ITEM);
    assert.equal(framing(item.subarray(0, item.length - 3)), Framing.BROKEN);
    assert.equal(framing(Buffer.alloc(0)), Framing.BROKEN);
  });

  it('wraps a single item with the batch field prefix, so payloads concatenate', () => {
    const event = busEvent('r1');
    const p = payloadBytes(eventItemBytes(event), auto);
    assert.equal(p.signal, 'events');
    assert.equal(p.item, true);
    const batch = Buffer.from(encodeEvents([event, event]));
    assert.deepEqual(concatPayloads([p, { signal: 'events', item: false, body: Buffer.from(encodeEvents([event])) }]), batch);
    const prefix = Buffer.alloc(3);
    assert.equal(writeItemPrefix(prefix, 0, 300), 3);
    assert.deepEqual([...prefix], [0x0a, 0xac, 0x02]);
  });

  it('sends metric messages of an auto topic to metrics, events to events', () => {
    const metrics = metricBatchBytes();
    assert.equal(inspect(metrics, { framing: Framing.BROKEN, metric: false }).metric, true);
    assert.equal(payloadBytes(metrics, auto).signal, 'metrics');
    assert.equal(payloadBytes(eventItemBytes(busEvent('x')), auto).signal, 'events');
    assert.equal(payloadBytes(Buffer.from(JSON.stringify({ name: 'seed_loss', type: 'METRIC_TYPE_GAUGE', value: 1, timestamp_ms: 5 })), auto).signal, 'metrics');
  });

  it('reads JSON items and batches with the .proto field names', () => {
    const one = payloadBytes(Buffer.from(JSON.stringify({ topic: 't', event_type: 'e', timestamp_ms: 1, request_id: 'j1' })), auto);
    assert.equal(one.signal, 'events');
    assert.equal(one.item, false, 'JSON items are converted to a batch');
    const batch = payloadBytes(Buffer.from(JSON.stringify({ commands: [{ command: 'flush', issued_at_ms: 1 }] })), { signal: 'control', format: 'json' });
    assert.equal(batch.signal, 'control');
    assert.ok(batch.body.length > 0);
  });

  it('throws UndecodablePayload for bad JSON and garbage', () => {
    assert.throws(() => payloadBytes(Buffer.from('{"topic":'), auto), UndecodablePayload);
    assert.throws(() => payloadBytes(Buffer.from('[1,2]'), { signal: 'events', format: 'json' }), UndecodablePayload);
    assert.throws(() => payloadBytes(Buffer.from([0xff, 0xff, 0xff]), auto), UndecodablePayload);
  });

  it('maps control topics to control and the rest to auto, with overrides', () => {
    assert.equal(defaultSignalOf('control.kasmina.commands'), 'control');
    assert.equal(defaultSignalOf('telemetry.seed.health'), 'auto');
    assert.deepEqual(topicSetting('x', { x: { format: 'json' } }), { signal: 'auto', format: 'json' });
    assert.deepEqual(topicSetting('y', { y: { signal: 'alerts' } }), { signal: 'alerts', format: 'auto' });
  });
});
