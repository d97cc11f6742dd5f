import assert from 'node:assert/strict';
import {
  MetricBatchBuilder, MetricKind, SeriesTable, STALE_NAN, isStaleMarker, labelsFromRecord, NO_LABELS,
  type MetricBatch,
} from '../../../src/api';
import { WriteRequestDecoder, WriteRequestEncoder } from '../../../src/prometheus/remote-write';
import { loadWriteRequestType } from '../../../src/prometheus/remote-write/reference-schema';
import { notUtf8LabelValue } from '../../helpers/remote-write-body';
import { oneBucketHistogram } from '../../helpers/one-bucket-histogram';

const WriteRequest = loadWriteRequestType();

interface DecodedSeries { labels: Record<string, string>; samples: { value: number; timestamp: number }[] }

/** Decodes with protobufjs (the reference) into plain objects, label order kept as an array. */
function reference(bytes: Uint8Array): { series: DecodedSeries[]; labelOrder: string[][]; metadata: any[] } {
  const msg = WriteRequest.toObject(WriteRequest.decode(bytes), { longs: Number, defaults: true }) as any;
  const series = (msg.timeseries ?? []).map((ts: any) => ({
    labels: Object.fromEntries(ts.labels.map((l: any) => [l.name, l.value])),
    samples: ts.samples.map((s: any) => ({ value: s.value, timestamp: s.timestamp })),
  }));
  return { series, labelOrder: (msg.timeseries ?? []).map((ts: any) => ts.labels.map((l: any) => l.name)), metadata: msg.metadata ?? [] };
}

function allRows(batch: MetricBatch): Uint32Array {
  return Uint32Array.from({ length: batch.length }, (_, i) => i);
}

function encoder(table: SeriesTable, opts: Partial<ConstructorParameters<typeof WriteRequestEncoder>[1]> = {}): WriteRequestEncoder {
  return new WriteRequestEncoder(table, { externalLabels: NO_LABELS, addSuffixes: true, sendMetadata: false, ...opts });
}

describe('remote write codec', () => {
  it('writes one TimeSeries per series with its samples in row order, labels sorted', () => {
    const table = new SeriesTable();
    const a = table.intern('cpu.usage', labelsFromRecord({ host: 'h1', Zone: 'z', 'http.method': 'GET' }), MetricKind.GAUGE);
    const b = table.intern('requests', labelsFromRecord({ host: 'h1' }), MetricKind.COUNTER);
    const bb = new MetricBatchBuilder();
    bb.push(a, 1000, 1.5);
    bb.push(b, 1000, 10);
    bb.push(a, 2000, 2.5);
    bb.push(b, 2000, 11);
    const batch = bb.build();
    const enc = encoder(table);
    const { series, labelOrder } = reference(enc.encode(batch, allRows(batch)));
    assert.equal(enc.samples, 4);
    assert.deepEqual(series, [
      { labels: { __name__: 'cpu_usage', Zone: 'z', host: 'h1', http_method: 'GET' }, samples: [{ value: 1.5, timestamp: 1000 }, { value: 2.5, timestamp: 2000 }] },
      { labels: { __name__: 'requests_total', host: 'h1' }, samples: [{ value: 10, timestamp: 1000 }, { value: 11, timestamp: 2000 }] },
    ]);
    for (const names of labelOrder) assert.deepEqual(names, [...names].sort());
    // Upper-case sorts before `__name__` in byte order.
    assert.deepEqual(labelOrder[0], ['Zone', '__name__', 'host', 'http_method']);
  });

  it('sanitises names, adds unit words, merges colliding labels and external labels, drops empty values', () => {
    const table = new SeriesTable();
    const id = table.intern('9lives.db-size', labelsFromRecord({ 'a.b': '1', a_b: '2', empty: '', '0x': 'v', region: 'mine' }), MetricKind.GAUGE, { unit: 'By' });
    const bb = new MetricBatchBuilder();
    bb.push(id, 5, 1);
    const batch = bb.build();
    const enc = encoder(table, { externalLabels: labelsFromRecord({ cluster: 'c1', region: 'theirs' }) });
    const { series } = reference(enc.encode(batch, allRows(batch)));
    assert.deepEqual(series[0]!.labels, { __name__: '_9lives_db_size_bytes', a_b: '1;2', _0x: 'v', region: 'mine', cluster: 'c1' });
  });

  it('keeps names as they are with add_metric_suffixes off', () => {
    const table = new SeriesTable();
    const id = table.intern('up_count', NO_LABELS, MetricKind.COUNTER, { unit: 's' });
    const bb = new MetricBatchBuilder();
    bb.push(id, 5, 1);
    const batch = bb.build();
    const { series } = reference(encoder(table, { addSuffixes: false }).encode(batch, allRows(batch)));
    assert.equal(series[0]!.labels.__name__, 'up_count');
  });

  it('expands histograms to cumulative _bucket{le}, _sum and _count', () => {
    const table = new SeriesTable();
    const id = table.intern('latency', labelsFromRecord({ job: 'j' }), MetricKind.HISTOGRAM, { unit: 's' });
    const bb = new MetricBatchBuilder();
    const h = (counts: number[], sum: number) => ({ type: 'histogram' as const, bounds: Float64Array.of(0.1, 1), counts: Float64Array.from(counts), count: counts.reduce((x, y) => x + y), sum });
    bb.push(id, 1000, 3.5, h([1, 2, 3], 3.5));
    bb.push(id, 2000, 4.5, h([2, 2, 4], 4.5));
    const batch = bb.build();
    const enc = encoder(table);
    const { series } = reference(enc.encode(batch, allRows(batch)));
    const ts = (v1: number, v2: number) => [{ value: v1, timestamp: 1000 }, { value: v2, timestamp: 2000 }];
    assert.deepEqual(series, [
      { labels: { __name__: 'latency_seconds_bucket', job: 'j', le: '0.1' }, samples: ts(1, 2) },
      { labels: { __name__: 'latency_seconds_bucket', job: 'j', le: '1' }, samples: ts(3, 4) },
      { labels: { __name__: 'latency_seconds_bucket', job: 'j', le: '+Inf' }, samples: ts(6, 8) },
      { labels: { __name__: 'latency_seconds_sum', job: 'j' }, samples: ts(3.5, 4.5) },
      { labels: { __name__: 'latency_seconds_count', job: 'j' }, samples: ts(6, 8) },
    ]);
    assert.equal(enc.samples, 10);
  });

  it('expands summaries to {quantile}, _sum and _count', () => {
    const table = new SeriesTable();
    const id = table.intern('rpc', NO_LABELS, MetricKind.SUMMARY);
    const bb = new MetricBatchBuilder();
    bb.push(id, 7000, 12, { type: 'summary', quantiles: Float64Array.of(0.5, 0.99), values: Float64Array.of(0.2, 0.9), count: 40, sum: 12 });
    const batch = bb.build();
    const { series } = reference(encoder(table).encode(batch, allRows(batch)));
    assert.deepEqual(series.map((s) => [s.labels, s.samples[0]!.value]), [
      [{ __name__: 'rpc', quantile: '0.5' }, 0.2],
      [{ __name__: 'rpc', quantile: '0.99' }, 0.9],
      [{ __name__: 'rpc_sum' }, 12],
      [{ __name__: 'rpc_count' }, 40],
    ]);
  });

  it('renames a series\' own le (histograms) and quantile (summaries) to exported_*, so no label is written twice', () => {
    const table = new SeriesTable();
    // Own `le`, and a `__name__` attribute that must not replace the metric name.
    const hist = table.intern('latency', labelsFromRecord({ le: 'mine', job: 'j', __name__: 'other' }), MetricKind.HISTOGRAM);
    const summary = table.intern('rpc', labelsFromRecord({ quantile: 'mine' }), MetricKind.SUMMARY);
    const gauge = table.intern('level', labelsFromRecord({ le: 'kept' }), MetricKind.GAUGE);
    const bb = new MetricBatchBuilder();
    bb.push(hist, 1000, 1, oneBucketHistogram(1));
    bb.push(summary, 1000, 1, { type: 'summary', quantiles: Float64Array.of(0.5), values: Float64Array.of(0.2), count: 1, sum: 1 });
    bb.push(gauge, 1000, 1);
    const batch = bb.build();
    const enc = encoder(table, { addSuffixes: false, externalLabels: labelsFromRecord({ cluster: 'c' }) });
    const { series, labelOrder } = reference(enc.encode(batch, allRows(batch)));
    for (const names of labelOrder) assert.equal(new Set(names).size, names.length, `a label written twice: ${names.join(',')}`);
    assert.deepEqual(series.map((s) => s.labels), [
      { __name__: 'latency_bucket', cluster: 'c', exported_le: 'mine', job: 'j', le: '1' },
      { __name__: 'latency_bucket', cluster: 'c', exported_le: 'mine', job: 'j', le: '+Inf' },
      { __name__: 'latency_sum', cluster: 'c', exported_le: 'mine', job: 'j' },
      { __name__: 'latency_count', cluster: 'c', exported_le: 'mine', job: 'j' },
      { __name__: 'rpc', cluster: 'c', exported_quantile: 'mine', quantile: '0.5' },
      { __name__: 'rpc_sum', cluster: 'c', exported_quantile: 'mine' },
      { __name__: 'rpc_count', cluster: 'c', exported_quantile: 'mine' },
      { __name__: 'level', cluster: 'c', le: 'kept' },
    ]);
  });

  it('skips delta counters (no remote write form) and sends metadata per family when asked', () => {
    const table = new SeriesTable();
    const g = table.intern('temp', labelsFromRecord({ room: 'a' }), MetricKind.GAUGE, { description: 'room temperature', unit: 'Cel' });
    const g2 = table.intern('temp', labelsFromRecord({ room: 'b' }), MetricKind.GAUGE, { unit: 'Cel' });
    const d = table.intern('hits', NO_LABELS, MetricKind.DELTA_COUNTER);
    const bb = new MetricBatchBuilder();
    bb.push(g, 1, 20);
    bb.push(g2, 1, 21);
    bb.push(d, 1, 5);
    const batch = bb.build();
    const { series, metadata } = reference(encoder(table, { sendMetadata: true }).encode(batch, allRows(batch)));
    assert.deepEqual(series.map((s) => s.labels.__name__), ['temp_celsius', 'temp_celsius']);
    assert.deepEqual(metadata.map((m: any) => [m.type, m.metricFamilyName, m.help, m.unit]), [[2, 'temp_celsius', 'room temperature', 'Cel']]);
  });

  it('encodes only the given rows', () => {
    const table = new SeriesTable();
    const a = table.intern('a', NO_LABELS, MetricKind.GAUGE);
    const bb = new MetricBatchBuilder();
    for (let i = 0; i < 5; i++) bb.push(a, i * 1000, i);
    const batch = bb.build();
    const { series } = reference(encoder(table).encode(batch, Uint32Array.of(1, 3)));
    assert.deepEqual(series[0]!.samples.map((s) => s.value), [1, 3]);
  });

  it('round-trips through the hand-written decoder: names, labels, values, timestamps, stale NaN', () => {
    const src = new SeriesTable();
    const ids = [
      src.intern('up', labelsFromRecord({ job: 'p', instance: 'x:1' }), MetricKind.GAUGE),
      src.intern('events_total', labelsFromRecord({ kind: 'é ünïcode' }), MetricKind.COUNTER),
    ];
    const bb = new MetricBatchBuilder();
    // 'stale' instead of STALE_NAN in the table: V8 canonicalises NaNs stored in plain number arrays.
    const rows: [number, number, number | 'stale'][] = [[0, 1_700_000_000_123, 1], [1, 1_700_000_000_123, 42], [0, 1_700_000_015_123, 'stale'], [1, -5, Number.NaN], [0, 0, -0.25]];
    for (const [s, t, v] of rows) bb.push(ids[s]!, t, v === 'stale' ? STALE_NAN : v);
    const batch = bb.build();
    const bytes = Buffer.from(encoder(src, { addSuffixes: false }).encode(batch, allRows(batch)));
    const dst = new SeriesTable();
    const out = new MetricBatchBuilder();
    const stats = new WriteRequestDecoder(dst).decode(bytes, out);
    const got = out.build();
    assert.equal(stats.samples, 5);
    assert.equal(stats.series, 2);
    const seen = Array.from({ length: got.length }, (_, i) => {
      const info = dst.info(got.series[i]!);
      return { name: info.name, labels: info.labels, kind: info.kind, t: got.timestamps[i], v: got.values[i], stale: isStaleMarker(got.values[i]!) };
    });
    assert.deepEqual(seen.map((s) => [s.name, s.t]), [['up', 1_700_000_000_123], ['up', 1_700_000_015_123], ['up', 0], ['events_total', 1_700_000_000_123], ['events_total', -5]]);
    assert.deepEqual(seen[0]!.labels, ['instance', 'x:1', 'job', 'p']);
    assert.deepEqual(seen[3]!.labels, ['kind', 'é ünïcode']);
    assert.equal(seen[3]!.kind, MetricKind.COUNTER);
    assert.equal(seen[0]!.kind, MetricKind.GAUGE);
    assert.equal(seen[1]!.stale, true);
    assert.ok(Number.isNaN(seen[4]!.v) && !seen[4]!.stale);
    assert.equal(seen[2]!.v, -0.25);
  });

  it('resolves a known series from its label bytes and re-interns after the id was evicted', () => {
    const src = new SeriesTable();
    const id = src.intern('m', labelsFromRecord({ a: '1' }), MetricKind.GAUGE);
    const bb = new MetricBatchBuilder();
    bb.push(id, 1, 1);
    const batch = bb.build();
    const bytes = Buffer.from(encoder(src).encode(batch, allRows(batch)));
    const dst = new SeriesTable();
    const dec = new WriteRequestDecoder(dst);
    const first = new MetricBatchBuilder();
    dec.decode(bytes, first);
    const second = new MetricBatchBuilder();
    dec.decode(bytes, second);
    const id1 = first.build().series[0]!;
    assert.equal(second.build().series[0], id1);
    dst.sweep(Number.MAX_SAFE_INTEGER);
    assert.equal(dst.size, 0);
    const third = new MetricBatchBuilder();
    dec.decode(bytes, third);
    const id3 = third.build().series[0]!;
    assert.deepEqual(dst.info(id3).labels, ['a', '1']);
  });

  it('infers kinds from metadata, else from the _total suffix', () => {
    const msg = WriteRequest.encode(WriteRequest.fromObject({
      timeseries: [
        { labels: [{ name: '__name__', value: 'jobs' }], samples: [{ value: 1, timestamp: 1 }] },
        { labels: [{ name: '__name__', value: 'free_total' }], samples: [{ value: 1, timestamp: 1 }] },
        { labels: [{ name: '__name__', value: 'lat_bucket' }, { name: 'le', value: '1' }], samples: [{ value: 1, timestamp: 1 }] },
        { labels: [{ name: '__name__', value: 'x_total' }], samples: [{ value: 1, timestamp: 1 }] },
      ],
      metadata: [{ type: 1, metricFamilyName: 'jobs', help: 'jobs run' }, { type: 2, metricFamilyName: 'free_total' }, { type: 3, metricFamilyName: 'lat' }],
    })).finish();
    const table = new SeriesTable();
    const out = new MetricBatchBuilder();
    new WriteRequestDecoder(table).decode(Buffer.from(msg), out);
    const b = out.build();
    const kinds = Array.from(b.series, (id) => [table.info(id).name, table.info(id).kind]);
    assert.deepEqual(kinds, [['jobs', MetricKind.COUNTER], ['free_total', MetricKind.GAUGE], ['lat_bucket', MetricKind.GAUGE], ['x_total', MetricKind.COUNTER]]);
    assert.equal(table.info(b.series[0]!).description, 'jobs run');
  });

  it('sorts unsorted labels and accepts labels spread between samples', () => {
    const msg = WriteRequest.encode(WriteRequest.fromObject({
      timeseries: [{ labels: [{ name: 'z', value: '1' }, { name: '__name__', value: 'm' }, { name: 'a', value: '2' }], samples: [{ value: 3, timestamp: 9 }] }],
    })).finish();
    // Move the sample field between the labels: legal protobuf, unusual sender.
    const table = new SeriesTable();
    const out = new MetricBatchBuilder();
    new WriteRequestDecoder(table).decode(Buffer.from(msg), out);
    const b = out.build();
    assert.deepEqual(table.info(b.series[0]!).labels, ['a', '2', 'z', '1']);
    assert.equal(b.values[0], 3);
  });

  for (const [what, obj, message] of [
    ['a series without __name__', { timeseries: [{ labels: [{ name: 'a', value: '1' }], samples: [{ value: 1, timestamp: 1 }] }] }, /without __name__/],
    ['duplicate label names', { timeseries: [{ labels: [{ name: '__name__', value: 'm' }, { name: 'a', value: '1' }, { name: 'a', value: '2' }] }] }, /duplicate label/],
    ['an invalid label name', { timeseries: [{ labels: [{ name: '__name__', value: 'm' }, { name: 'a-b', value: '1' }] }] }, /invalid label name/],
    ['an invalid metric name', { timeseries: [{ labels: [{ name: '__name__', value: 'm m' }] }] }, /invalid metric name/],
  ] as const) {
    it(`rejects ${what} with a PermanentError`, () => {
      const bytes = Buffer.from(WriteRequest.encode(WriteRequest.fromObject(obj)).finish());
      assert.throws(() => new WriteRequestDecoder(new SeriesTable()).decode(bytes, new MetricBatchBuilder()), (err: Error) => err.name === 'PermanentError' && message.test(err.message));
    });
  }

  it('rejects a label value that is not UTF-8 with a PermanentError, rather than storing U+FFFD', () => {
    assert.throws(() => new WriteRequestDecoder(new SeriesTable()).decode(notUtf8LabelValue(), new MetricBatchBuilder()), (err: Error) => err.name === 'PermanentError' && /not valid UTF-8/.test(err.message));
  });

  it('rejects truncated input', () => {
    const msg = WriteRequest.encode(WriteRequest.fromObject({ timeseries: [{ labels: [{ name: '__name__', value: 'm' }], samples: [{ value: 1, timestamp: 1 }] }] })).finish();
    for (let cut = 1; cut < msg.length; cut++) {
      assert.throws(() => new WriteRequestDecoder(new SeriesTable()).decode(Buffer.from(msg.subarray(0, cut)), new MetricBatchBuilder()), /malformed/, `cut at ${cut}`);
    }
  });
});

describe('remote write codec: exponential histograms', () => {
  it('converts to explicit buckets on the exact exponential boundaries', () => {
    const table = new SeriesTable();
    const id = table.intern('size', NO_LABELS, MetricKind.EXP_HISTOGRAM);
    const bb = new MetricBatchBuilder();
    // scale 0: base 2; positive buckets (1,2], (2,4]; zero bucket 1.
    bb.push(id, 1000, 9, { type: 'exp_histogram', scale: 0, zeroCount: 1, positiveOffset: 0, positive: Float64Array.of(2, 3), negativeOffset: 0, negative: new Float64Array(0), count: 6, sum: 9 });
    const batch = bb.build();
    const enc = encoder(table);
    const { series } = reference(enc.encode(batch, allRows(batch)));
    assert.deepEqual(series.map((s) => [s.labels.__name__, s.labels.le, s.samples[0]!.value]), [
      ['size_bucket', '0', 1],
      ['size_bucket', '2', 3],
      ['size_bucket', '4', 6],
      ['size_bucket', '+Inf', 6],
      ['size_sum', undefined, 9],
      ['size_count', undefined, 6],
    ]);
    assert.equal(enc.samples, 6);
  });
});
