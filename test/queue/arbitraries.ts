import fc from 'fast-check';
import {
  MetricBatchBuilder, MetricKind, STALE_NAN, labelsFromRecord,
  type AlertNotification, type AttributeValue, type ComplexValue, type ControlCommand, type MetricBatch, type SeriesTable, type TelemetryEvent,
} from '../../src/api';

/** Random data for every signal and metric kind, with the awkward values the codec must keep. */

const text = fc.string({ unit: 'grapheme', maxLength: 20 });
const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const f64s = (max = 6) => fc.array(fc.double(), { maxLength: max }).map((a) => Float64Array.from(a));
export const anyDouble = fc.oneof(fc.double(), fc.constant(STALE_NAN), fc.constant(-0));

const { value: attributeValue } = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text, fc.double(), fc.boolean(), fc.constant(null), fc.bigInt(), fc.uint8Array({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
}));
const attributes = fc.dictionary(key, attributeValue, { maxKeys: 4 });

export const event: fc.Arbitrary<TelemetryEvent> = fc.record(
  {
    epoch: fc.nat(), requestId: text, topic: text, eventType: text, severityNumber: fc.integer({ min: 0, max: 24 }), severityText: text,
    timestampMs: fc.double(), attributes, body: attributeValue, resource: attributes, traceId: text, spanId: text,
  },
  { requiredKeys: ['epoch', 'requestId', 'topic', 'eventType', 'severityNumber', 'severityText', 'timestampMs', 'attributes', 'body'] },
);

const stringMap = fc.dictionary(key, text, { maxKeys: 4 });
export const alert: fc.Arbitrary<AlertNotification> = fc.record(
  {
    alertName: text, state: fc.constantFrom('firing' as const, 'resolved' as const), severity: text, labels: stringMap, annotations: stringMap,
    startsAtMs: fc.double(), endsAtMs: fc.double(), epoch: fc.nat(), requestId: text,
  },
  { requiredKeys: ['alertName', 'state', 'severity', 'labels', 'annotations', 'startsAtMs', 'endsAtMs'] },
);

export const command: fc.Arbitrary<ControlCommand> = fc.record(
  { command: text, target: text, args: stringMap, issuedAtMs: fc.double(), requestId: text, epoch: fc.nat() },
  { requiredKeys: ['command', 'target', 'args', 'issuedAtMs'] },
);

const minMax = fc.record({ min: fc.double(), max: fc.double() }, { requiredKeys: [] });
const histogram: fc.Arbitrary<ComplexValue> = fc.tuple(f64s(), f64s(), fc.double(), fc.double(), minMax).map(([bounds, counts, count, sum, mm]) => ({ type: 'histogram', bounds, counts, count, sum, ...mm }));
const expHistogram: fc.Arbitrary<ComplexValue> = fc
  .tuple(fc.integer({ min: -10, max: 20 }), fc.double(), fc.integer({ min: -100, max: 100 }), f64s(), fc.integer({ min: -100, max: 100 }), f64s(), fc.double(), fc.double(), minMax)
  .map(([scale, zeroCount, positiveOffset, positive, negativeOffset, negative, count, sum, mm]) => ({ type: 'exp_histogram', scale, zeroCount, positiveOffset, positive, negativeOffset, negative, count, sum, ...mm }));
const summary: fc.Arbitrary<ComplexValue> = fc.tuple(f64s(), f64s(), fc.double(), fc.double()).map(([quantiles, values, count, sum]) => ({ type: 'summary', quantiles, values, count, sum }));

const KINDS = Object.values(MetricKind);
const COMPLEX: Record<number, fc.Arbitrary<ComplexValue>> = { [MetricKind.HISTOGRAM]: histogram, [MetricKind.EXP_HISTOGRAM]: expHistogram, [MetricKind.SUMMARY]: summary };

const row = fc.record({
  name: fc.string({ minLength: 1, maxLength: 16 }),
  labels: stringMap,
  kind: fc.constantFrom(...KINDS),
  description: fc.option(text, { nil: undefined }),
  unit: fc.option(text, { nil: undefined }),
  ts: fc.double(),
  value: anyDouble,
  complexSeed: fc.nat(),
  start: fc.option(fc.double(), { nil: undefined }),
  identity: fc.option(fc.tuple(fc.nat(), text), { nil: undefined }),
});

/** A function building a random metric batch in `table`: every kind, optional columns sometimes present. */
export const metricBatch: fc.Arbitrary<(table: SeriesTable) => MetricBatch> = fc
  .tuple(fc.array(row, { maxLength: 25 }), fc.array(fc.oneof(histogram, expHistogram, summary), { minLength: 1, maxLength: 4 }))
  .map(([rows, complexPool]) => (table: SeriesTable) => {
    const b = new MetricBatchBuilder(4);
    for (const r of rows) {
      const meta = { ...(r.description ? { description: r.description } : {}), ...(r.unit ? { unit: r.unit } : {}) };
      const id = table.intern(r.name, labelsFromRecord(r.labels), r.kind, meta);
      const complex = COMPLEX[r.kind] ? complexPool[r.complexSeed % complexPool.length] : undefined;
      b.push(id, r.ts, r.value, complex, r.start);
      if (r.identity) b.setIdentity(r.identity[0], r.identity[1]);
    }
    return b.build();
  });

export { attributeValue };
