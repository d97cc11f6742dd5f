import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isStaleMarker, MetricBatchBuilder, MetricKind, NO_LABELS, SeriesTable, STALE_NAN, type Batch, type EventBatch, type MetricBatch } from '../../src/api';
import { decodeBatch, encodeBatch, encodedItemCount } from '../../src/queue';
import { alert, command, event, metricBatch } from './arbitraries';
import { assertOnlyCorruptErrors } from './helpers';

/** Row-wise equality across two series tables (ids differ; what they mean must not). */
function assertSameMetrics(got: MetricBatch, src: SeriesTable, want: MetricBatch, dst: SeriesTable): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    assert.deepEqual(dst.info(got.series[i]!), src.info(want.series[i]!));
    assert.ok(Object.is(got.timestamps[i], want.timestamps[i]));
    assert.ok(Object.is(got.values[i], want.values[i]), `value ${i}`);
    assert.equal(isStaleMarker(got.values[i]!), isStaleMarker(want.values[i]!));
    assert.deepEqual(got.complex?.[i], want.complex?.[i]);
    assert.ok(Object.is(got.startTimes?.[i], want.startTimes?.[i]));
    assert.ok(Object.is(got.epochs?.[i], want.epochs?.[i]));
    assert.equal(got.requestIds?.[i], want.requestIds?.[i]);
  }
}

function roundTrip(batch: Batch, src: SeriesTable, dst: SeriesTable): Batch {
  const bytes = encodeBatch(batch, src);
  assert.equal(encodedItemCount(bytes), batch.signal === 'metrics' ? batch.length : batch.items.length);
  return decodeBatch(bytes.slice(), dst);
}

describe('queue batch codec', () => {
  it('round-trips metric batches of every kind, with optional columns (property)', () => {
    fc.assert(
      fc.property(metricBatch, (make) => {
        const src = new SeriesTable();
        const dst = new SeriesTable();
        const batch = make(src);
        assertSameMetrics(roundTrip(batch, src, dst) as MetricBatch, src, batch, dst);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips events with bigint, bytes and nested attributes, alerts and control commands (property)', () => {
    const table = new SeriesTable();
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), fc.array(alert, { maxLength: 6 }), fc.array(command, { maxLength: 6 }), (events, alerts, commands) => {
        for (const batch of [{ signal: 'events', items: events }, { signal: 'alerts', items: alerts }, { signal: 'control', items: commands }] as Batch[]) {
          assert.deepEqual(roundTrip(batch, table, table), batch);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the stale marker bits, bigint beyond 2^53 and Uint8Array (not Buffer) exactly', () => {
    const table = new SeriesTable();
    const b = new MetricBatchBuilder();
    b.push(table.intern('up', NO_LABELS, MetricKind.GAUGE), 1, STALE_NAN);
    const got = roundTrip(b.build(), table, new SeriesTable()) as MetricBatch;
    assert.ok(isStaleMarker(got.values[0]!));
    const ev = { signal: 'events', items: [{ epoch: 1, requestId: 'r', topic: 't', eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: 1, attributes: { big: 2n ** 70n, neg: -(2n ** 64n), raw: new Uint8Array([0, 255]) }, body: null }] } as Batch;
    const back = roundTrip(ev, table, table);
    assert.deepEqual(back, ev);
    assert.equal(Object.getPrototypeOf((back as EventBatch).items[0]!.attributes["raw"]), Uint8Array.prototype);
  });

  it('interns decoded series into the target table (ids are per process)', () => {
    const src = new SeriesTable();
    src.intern('padding', NO_LABELS, MetricKind.GAUGE);
    const b = new MetricBatchBuilder();
    b.push(src.intern('m', ['a', '1'], MetricKind.COUNTER), 1, 2);
    const dst = new SeriesTable();
    const got = decodeBatch(encodeBatch(b.build(), src).slice(), dst) as MetricBatch;
    assert.equal(dst.lookup('m', ['a', '1']), got.series[0]);
    assert.equal(dst.info(got.series[0]!).kind, MetricKind.COUNTER);
  });

  it('throws CorruptRecordError (never anything else) for truncated or garbled bytes (property)', () => {
    const table = new SeriesTable();
    const b = new MetricBatchBuilder();
    for (let i = 0; i < 5; i++) b.push(table.intern('m', ['i', String(i)], MetricKind.HISTOGRAM), i, i, { type: 'histogram', bounds: Float64Array.of(1), counts: Float64Array.of(1, 2), count: 3, sum: i });
    const good = encodeBatch(b.build(), table).slice();
    assertOnlyCorruptErrors(good);
  });
});
