import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MetricBatchBuilder, MetricKind, NO_LABELS, SeriesTable, labelsFromRecord } from '../../../src/api';
import { WriteRequestEncoder } from '../../../src/prometheus/remote-write';
import { loadWriteRequestType } from '../../../src/prometheus/remote-write/reference-schema';

const WriteRequest = loadWriteRequestType();

function allRows(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

/** Label values from empty-ish to long: short label sets take the byte-loop copy, long ones `set`. */
const labelValue = fc.string({ minLength: 1, maxLength: 60 });
/** Timestamps across the writer's varint cases: small, negative, around 2^28 (its split point) and 2^35, epoch ms, the largest. */
const timestamp = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -5_000_000, max: 5_000_000 }),
  fc.integer({ min: 2 ** 28 - 300, max: 2 ** 28 + 300 }),
  fc.integer({ min: 2 ** 35 - 300, max: 2 ** 35 + 300 }),
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  fc.integer({ min: Number.MAX_SAFE_INTEGER - 300, max: Number.MAX_SAFE_INTEGER }),
);
const value = fc.double({ noNaN: true });

const seriesDefs = fc.array(fc.record({ a: labelValue, b: fc.option(labelValue, { nil: undefined }) }), { minLength: 1, maxLength: 8 });

interface SeriesDef {
  a: string;
  b: string | undefined;
}

/** Encodes the points and checks the bytes against protobufjs's canonical encoding of the same message. */
function assertSameAsProtobufjs(defs: SeriesDef[], points: { series: number; t: number; v: number }[]): void {
  const table = new SeriesTable();
  const ids = defs.map((d, i) => table.intern(`m${i}`, labelsFromRecord(d.b === undefined ? { a: d.a } : { a: d.a, b: d.b }), MetricKind.GAUGE));
  const bb = new MetricBatchBuilder();
  for (const p of points) bb.push(ids[p.series % ids.length]!, p.t, p.v);
  const batch = bb.build();
  const enc = new WriteRequestEncoder(table, { externalLabels: NO_LABELS, addSuffixes: false, sendMetadata: false });
  const ours = enc.encode(batch, allRows(batch.length));
  // Protobufjs re-encodes the message it decoded from our bytes canonically: equal bytes
  // mean the same message, framed the same way (lengths, varints, doubles).
  const reference = WriteRequest.encode(WriteRequest.decode(ours)).finish();
  assert.deepEqual(Buffer.from(ours), Buffer.from(reference));
  assert.equal(enc.samples, points.length);
  const msg = WriteRequest.toObject(WriteRequest.decode(ours), { longs: Number }) as { timeseries: { samples: { value: number; timestamp?: number }[] }[] };
  const decoded = msg.timeseries.flatMap((ts) => ts.samples.map((s) => [s.timestamp ?? 0, s.value]));
  assert.deepEqual(decoded.map(([t]) => t).sort(), points.map((p) => p.t).sort());
}

describe('remote write encoder: bytes', () => {
  it('writes exactly the bytes protobufjs writes for the same WriteRequest', () => {
    fc.assert(
      fc.property(seriesDefs, fc.array(fc.record({ series: fc.nat(), t: timestamp, v: value }), { minLength: 1, maxLength: 40 }), assertSameAsProtobufjs),
      { numRuns: 200 },
    );
  });

  it('does so when every series has samples at the same few instants (a batch merged from consecutive requests)', () => {
    // The writer keeps the varints of the last two timestamps: two instants alternate from cache,
    // a third evicts one of them.
    fc.assert(
      fc.property(
        seriesDefs,
        fc.array(timestamp, { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ series: fc.nat(), instant: fc.nat(), v: value }), { minLength: 1, maxLength: 40 }),
        (defs, instants, rows) => assertSameAsProtobufjs(defs, rows.map((r) => ({ series: r.series, t: instants[r.instant % instants.length]!, v: r.v }))),
      ),
      { numRuns: 200 },
    );
  });

  it('hands its bytes over with take(): they survive the next encode, and recycled buffers are reused', () => {
    const table = new SeriesTable();
    const id = table.intern('m', labelsFromRecord({ job: 'x' }), MetricKind.GAUGE);
    const enc = new WriteRequestEncoder(table, { externalLabels: NO_LABELS, addSuffixes: false, sendMetadata: false });
    const batch = (v: number) => {
      const bb = new MetricBatchBuilder();
      bb.push(id, 1000, v);
      return bb.build();
    };
    enc.encode(batch(1), allRows(1));
    const first = enc.take();
    const firstCopy = first.slice();
    enc.encode(batch(2), allRows(1));
    assert.deepEqual(first, firstCopy, 'taken bytes are not overwritten by the next encode');
    const second = enc.take();
    assert.ok(second.buffer !== first.buffer);
    assert.notDeepEqual(second, first);
    // The encoder goes on in a recycled buffer after the next take.
    enc.recycle(first);
    enc.encode(batch(3), allRows(1));
    enc.take();
    enc.encode(batch(4), allRows(1));
    const fourth = enc.take();
    assert.ok(fourth.buffer === first.buffer, 'the recycled buffer is written again');
    const decoded = WriteRequest.toObject(WriteRequest.decode(fourth)) as { timeseries: { samples: { value: number }[] }[] };
    assert.equal(decoded.timeseries[0]!.samples[0]!.value, 4);
  });
});
