import assert from 'node:assert/strict';
import { MetricBatchBuilder, MetricKind, SeriesTable, type MetricBatch } from '../../../src/api';
import { WriteRequestDecoder } from '../../../src/prometheus/remote-write';
import { loadWriteRequestType } from '../../../src/prometheus/remote-write/reference-schema';

const WriteRequest = loadWriteRequestType();

type Series = { labels: Record<string, string>; samples?: [number, number][] };

function request(series: Series[], metadata: object[] = []): Buffer {
  return Buffer.from(WriteRequest.encode(WriteRequest.fromObject({
    timeseries: series.map((s) => ({
      labels: Object.entries(s.labels).map(([name, value]) => ({ name, value })),
      samples: (s.samples ?? [[1, 1]]).map(([timestamp, value]) => ({ timestamp, value })),
    })),
    metadata,
  })).finish());
}

function decode(dec: WriteRequestDecoder, body: Buffer): MetricBatch {
  const out = new MetricBatchBuilder();
  dec.decode(body, out);
  return out.build();
}

function labelsOf(table: SeriesTable, batch: MetricBatch): string[] {
  return Array.from(batch.series, (id) => `${table.info(id).name}{${table.info(id).labels.join(',')}}`);
}

const m = (i: number): Series => ({ labels: { __name__: 'm', i: String(i) } });

describe('remote write decoder: series known by their label bytes', () => {
  it('gives each label set one id whatever the order of the series from request to request', () => {
    const table = new SeriesTable();
    const dec = new WriteRequestDecoder(table);
    const first = decode(dec, request([m(1), m(2), m(3)]));
    const same = decode(dec, request([m(1), m(2), m(3)]));
    const moved = decode(dec, request([m(3), m(9), m(1), m(2)]));
    assert.deepEqual(Array.from(same.series), Array.from(first.series));
    assert.deepEqual(labelsOf(table, moved), ['m{i,3}', 'm{i,9}', 'm{i,1}', 'm{i,2}']);
    assert.deepEqual([moved.series[0], moved.series[2], moved.series[3]], [first.series[2], first.series[0], first.series[1]]);
    assert.equal(table.size, 4);
  });

  it('does not take a longer label set for the one seen at its position, contiguous or spread around samples', () => {
    const table = new SeriesTable();
    const dec = new WriteRequestDecoder(table);
    decode(dec, request([{ labels: { __name__: 'm' } }, { labels: { __name__: 'n' } }]));
    // Position 0 starts with the same bytes as last time, then one more label follows.
    const longer = decode(dec, request([{ labels: { __name__: 'm', z: '1' } }, { labels: { __name__: 'n' } }]));
    assert.deepEqual(labelsOf(table, longer), ['m{z,1}', 'n{}']);
    // The same, with the extra label after the sample (legal protobuf: fields in any order).
    const ts = WriteRequest.fromObject({ timeseries: [{ labels: [{ name: '__name__', value: 'n' }], samples: [{ value: 5, timestamp: 2 }] }] });
    const spread = Buffer.from(WriteRequest.encode(ts).finish());
    const extra = Buffer.from([0x0a, 0x06, 0x0a, 0x01, 0x79, 0x12, 0x01, 0x32]); // Label { name: "y", value: "2" }
    // Re-frame: TimeSeries = original fields + the extra label, inside a new length prefix.
    const inner = Buffer.concat([spread.subarray(2), extra]);
    const body = Buffer.concat([Buffer.from([0x0a, inner.length]), inner]);
    const b = decode(dec, body);
    assert.deepEqual(labelsOf(table, b), ['n{y,2}']);
    assert.equal(b.values[0], 5);
  });

  it('remembers metadata sent in a request of its own for the series of later requests', () => {
    const table = new SeriesTable();
    const dec = new WriteRequestDecoder(table);
    assert.equal(decode(dec, request([], [{ type: 1, metricFamilyName: 'jobs', help: 'jobs run' }])).length, 0);
    const b = decode(dec, request([{ labels: { __name__: 'jobs' } }]));
    assert.equal(table.info(b.series[0]!).kind, MetricKind.COUNTER);
    assert.equal(table.info(b.series[0]!).description, 'jobs run');
  });

  it('keeps ids right when its cache is bounded below the number of series', () => {
    const table = new SeriesTable();
    const dec = new WriteRequestDecoder(table, 3);
    const all = Array.from({ length: 10 }, (_, i) => m(i));
    const first = decode(dec, request(all));
    const again = decode(dec, request(all));
    const reversed = decode(dec, request([...all].reverse()));
    assert.deepEqual(Array.from(again.series), Array.from(first.series));
    assert.deepEqual(Array.from(reversed.series), Array.from(first.series).reverse());
    assert.equal(table.size, 10);
  });

  it('reads several samples per series on the fast path', () => {
    const table = new SeriesTable();
    const dec = new WriteRequestDecoder(table);
    decode(dec, request([m(1)]));
    const b = decode(dec, request([{ labels: m(1).labels, samples: [[10, 1.5], [20, -2]] }]));
    assert.deepEqual(Array.from(b.timestamps), [10, 20]);
    assert.deepEqual(Array.from(b.values), [1.5, -2]);
  });
});
