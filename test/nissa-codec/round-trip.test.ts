import { strict as assert } from 'node:assert';
import {
  labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable, STALE_NAN, isStaleMarker,
  type AlertNotification, type ControlCommand, type TelemetryEvent, type EventBatch, type AlertBatch, type ControlBatch,
} from '../../src/api';
import { encodeAlerts, encodeControl, encodeEvents, encodeMetrics, NissaDecoder, nissaType } from '../../src/nissa-codec';
import { NOW } from './fixtures';

describe('nissa codec round trip', () => {
  it('metrics of every supported kind, with identity, start times and stale markers', () => {
    const src = new SeriesTable();
    const b = new MetricBatchBuilder();
    const kinds = [MetricKind.GAUGE, MetricKind.COUNTER, MetricKind.DELTA_COUNTER, MetricKind.UPDOWN_COUNTER];
    kinds.forEach((k, i) => b.push(src.intern(`m_${k}`, labelsFromRecord({ job: 'j', i: String(i) }), k), NOW - i, i + 0.5));
    b.push(src.intern('stale', labelsFromRecord({}), MetricKind.GAUGE), NOW, STALE_NAN, undefined, NOW - 1000);
    b.setIdentity(7, 'req-1');
    b.push(src.intern('lat', labelsFromRecord({ le_unit: 's' }), MetricKind.HISTOGRAM), NOW, 6, {
      type: 'histogram', bounds: Float64Array.of(0.1, 1), counts: Float64Array.of(1, 2, 3), count: 6, sum: 6, min: 0.05, max: 9,
    });
    b.push(src.intern('rpc', labelsFromRecord({}), MetricKind.SUMMARY), NOW, 10, {
      type: 'summary', quantiles: Float64Array.of(0.5, 0.99), values: Float64Array.of(1, NaN), count: 4, sum: 10,
    });
    const batch = b.build();
    const { bytes, skipped } = encodeMetrics(batch, src);
    assert.equal(skipped, 0);
    const dst = new SeriesTable();
    const r = new NissaDecoder(dst).decode('metrics', bytes, NOW);
    assert.equal(r.rejected, 0, r.firstError);
    assert.equal(r.accepted, batch.length);
    const got = r.batch as typeof batch;
    for (let i = 0; i < batch.length; i++) {
      const a = src.info(batch.series[i]!);
      const c = dst.info(got.series[i]!);
      assert.deepEqual([c.name, c.labels, c.kind], [a.name, a.labels, a.kind]);
      assert.equal(got.timestamps[i], batch.timestamps[i]);
      if (a.name === 'stale') assert.ok(isStaleMarker(got.values[i]!));
      else assert.equal(got.values[i], batch.values[i]);
    }
    assert.equal(got.requestIds?.[4], 'req-1');
    assert.equal(got.epochs?.[4], 7);
    assert.equal(got.startTimes?.[4], NOW - 1000);
    assert.deepEqual(got.complex?.[5], batch.complex?.[5]);
    assert.deepEqual(got.complex?.[6], batch.complex?.[6]);
  });

  it('metrics encoded by protobufjs reflection decode the same', () => {
    const src = new SeriesTable();
    const b = new MetricBatchBuilder();
    b.push(src.intern('up', labelsFromRecord({ a: '1' }), MetricKind.GAUGE), NOW, 1);
    const { bytes } = encodeMetrics(b.build(), src);
    const T = nissaType('nissa.v1.MetricBatch');
    const viaReflection = T.encode(T.decode(bytes)).finish();
    const r = new NissaDecoder(new SeriesTable()).decode('metrics', viaReflection, NOW);
    assert.equal(r.accepted, 1);
  });

  it('events with typed attributes, nested values, bigints, bytes, resource and trace ids', () => {
    const e: TelemetryEvent = {
      epoch: 3, requestId: 'r-1', topic: 'orders', eventType: 'created', severityNumber: 17, severityText: 'ERROR', timestampMs: NOW,
      attributes: { s: 'x', n: 42, f: 1.5, t: true, big: 2n ** 62n, neg: -5, nil: null, arr: ['a', 1, [2]], obj: { k: { deep: 'v' } }, raw: Uint8Array.of(1, 2, 3) },
      body: { message: 'hello', size: 3 }, resource: { 'service.name': 'shop' },
      traceId: '0123456789abcdef0123456789abcdef', spanId: '0123456789abcdef',
    };
    const minimal: TelemetryEvent = { epoch: 0, requestId: '', topic: 't', eventType: 'e', severityNumber: 0, severityText: 'UNSPECIFIED', timestampMs: NOW, attributes: {}, body: null };
    const r = new NissaDecoder(new SeriesTable()).decode('events', encodeEvents([e, minimal]), NOW);
    assert.equal(r.rejected, 0, r.firstError);
    assert.deepEqual((r.batch as EventBatch).items, [e, minimal]);
  });

  it('alerts', () => {
    const alerts: AlertNotification[] = [
      { alertName: 'HighLatency', state: 'firing', severity: 'page', labels: { service: 'api' }, annotations: { summary: 'p99 > 1s' }, startsAtMs: NOW - 60_000, endsAtMs: 0 },
      { alertName: 'Down', state: 'resolved', severity: '', labels: {}, annotations: {}, startsAtMs: NOW - 1, endsAtMs: NOW, epoch: 2, requestId: 'a-1' },
    ];
    const r = new NissaDecoder(new SeriesTable()).decode('alerts', encodeAlerts(alerts), NOW);
    assert.equal(r.rejected, 0, r.firstError);
    assert.deepEqual((r.batch as AlertBatch).items, alerts);
  });

  it('control commands', () => {
    const cmds: ControlCommand[] = [
      { command: 'set_mode', target: '', args: { mode: 'conservative' }, issuedAtMs: NOW },
      { command: 'flush', target: 'batch/fast', args: {}, issuedAtMs: NOW, requestId: 'c-1', epoch: 9 },
    ];
    const r = new NissaDecoder(new SeriesTable()).decode('control', encodeControl(cmds), NOW);
    assert.equal(r.rejected, 0, r.firstError);
    assert.deepEqual((r.batch as ControlBatch).items, cmds);
  });

  it('JSON with the .proto field names decodes like protobuf', () => {
    const json = Buffer.from(JSON.stringify({ commands: [{ command: 'reload', issued_at_ms: String(NOW), args: { a: 'b' } }] }));
    const r = new NissaDecoder(new SeriesTable()).decode('control', json, NOW, true);
    assert.equal(r.accepted, 1);
    assert.deepEqual((r.batch as ControlBatch).items[0], { command: 'reload', target: '', args: { a: 'b' }, issuedAtMs: NOW });
  });
});
