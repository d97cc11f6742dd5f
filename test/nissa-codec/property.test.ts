import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable,
  type AlertBatch, type AlertNotification, type ControlBatch, type ControlCommand, type EventBatch, type MetricBatch, type TelemetryEvent,
} from '../../src/api';
import { encodeAlerts, encodeControl, encodeEvents, encodeMetrics, NissaDecoder } from '../../src/nissa-codec';
import { NOW } from './fixtures';

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/).filter((n) => n !== '__name__');
const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/);
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const nonEmpty = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
const labels = fc.dictionary(labelName, text, { maxKeys: 8 });
const ts = fc.integer({ min: NOW - 3_600_000, max: NOW + 60_000 });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

describe('nissa codec round trip (property)', () => {
  it('random valid metric points decode to the same series, timestamps and values', () => {
    const point = fc.record({ name: metricName, labels, kind: fc.constantFrom(MetricKind.GAUGE, MetricKind.COUNTER, MetricKind.DELTA_COUNTER, MetricKind.UPDOWN_COUNTER), ts, value: finite });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 30 }), (points) => {
        const src = new SeriesTable();
        const b = new MetricBatchBuilder();
        for (const p of points) b.push(src.intern(p.name, labelsFromRecord(p.labels), p.kind), p.ts, p.value);
        const batch = b.build();
        const dst = new SeriesTable();
        const r = new NissaDecoder(dst).decode('metrics', encodeMetrics(batch, src).bytes, NOW);
        assert.equal(r.rejected, 0, r.firstError);
        const got = r.batch as MetricBatch;
        assert.equal(got.length, batch.length);
        for (let i = 0; i < batch.length; i++) {
          const a = src.info(batch.series[i]!);
          const c = dst.info(got.series[i]!);
          assert.equal(c.name, a.name);
          assert.deepEqual(c.labels, a.labels);
          assert.equal(got.timestamps[i], batch.timestamps[i]);
          assert.ok(Object.is(got.values[i], batch.values[i]));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('random valid events, alerts and commands round-trip exactly', () => {
    const scalar = fc.oneof(text, fc.boolean(), fc.integer(), fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)), fc.constant(null));
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(nonEmpty, scalar, { maxKeys: 3 }));
    const event: fc.Arbitrary<TelemetryEvent> = fc.record({
      epoch: fc.nat(), requestId: text, topic: nonEmpty, eventType: nonEmpty, severityNumber: fc.integer({ min: 1, max: 24 }),
      severityText: fc.stringMatching(/^[A-Z]{1,8}$/), timestampMs: ts, attributes: fc.dictionary(nonEmpty, value, { maxKeys: 5 }), body: value,
    });
    const alert: fc.Arbitrary<AlertNotification> = fc.record({
      alertName: nonEmpty, state: fc.constantFrom('firing' as const, 'resolved' as const), severity: text, labels, annotations: labels, startsAtMs: ts, endsAtMs: fc.constant(0),
    });
    const command: fc.Arbitrary<ControlCommand> = fc.record({
      command: fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), target: text, args: fc.dictionary(nonEmpty, text, { maxKeys: 4 }), issuedAtMs: ts,
    });
    const d = new NissaDecoder(new SeriesTable());
    fc.assert(
      fc.property(fc.array(event, { maxLength: 5 }), fc.array(alert, { maxLength: 5 }), fc.array(command, { maxLength: 5 }), (events, alerts, commands) => {
        const e = d.decode('events', encodeEvents(events), NOW);
        assert.equal(e.rejected, 0, e.firstError);
        assert.deepEqual((e.batch as EventBatch).items, events);
        assert.deepEqual((d.decode('alerts', encodeAlerts(alerts), NOW).batch as AlertBatch).items, alerts);
        assert.deepEqual((d.decode('control', encodeControl(commands), NOW).batch as ControlBatch).items, commands);
      }),
      { numRuns: 200 },
    );
  });
});
