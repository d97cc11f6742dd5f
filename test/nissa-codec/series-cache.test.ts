import { strict as assert } from 'node:assert';
import { SeriesTable, type MetricBatch } from '../../src/api';
import { MetricDecoder, DEFAULT_DECODE_LIMITS } from '../../src/nissa-codec';
import { encodeObject, gauge, NOW } from './fixtures';

describe('metric decoder series cache', () => {
  const bytes = encodeObject('metrics', { points: [gauge('a', { x: '1' }), gauge('a', { x: '2' }), gauge('a', { x: '1' }, 5)] });

  it('reuses series ids for identical name and label bytes, and re-interns evicted ids', () => {
    const series = new SeriesTable();
    const d = new MetricDecoder(series, DEFAULT_DECODE_LIMITS);
    const first = d.decode(bytes, NOW).batch as MetricBatch;
    assert.deepEqual([...first.series], [0, 1, 0]);
    assert.equal(series.size, 2);
    const second = d.decode(bytes, NOW).batch as MetricBatch;
    assert.deepEqual([...second.series], [0, 1, 0]);
    series.setNow(Date.now() + 60_000);
    series.intern('other', [], 0); // keeps one id alive, takes nothing from the freed ones yet
    assert.equal(series.sweep(Date.now() + 1), 2);
    const third = d.decode(bytes, NOW).batch as MetricBatch;
    for (const id of third.series) assert.ok(series.has(id));
    assert.equal(series.info(third.series[0]!).labels[1], '1');
    assert.equal(series.info(third.series[1]!).labels[1], '2');
  });

  it('the same labels as a different metric type is a different cache entry', () => {
    const series = new SeriesTable();
    const d = new MetricDecoder(series, DEFAULT_DECODE_LIMITS);
    const r = d.decode(encodeObject('metrics', { points: [gauge('a'), { ...gauge('a'), type: 'METRIC_TYPE_COUNTER' }] }), NOW);
    assert.equal(r.accepted, 2);
  });

  it('label order in the message does not change the series', () => {
    const series = new SeriesTable();
    const d = new MetricDecoder(series, DEFAULT_DECODE_LIMITS);
    const a = d.decode(encodeObject('metrics', { points: [gauge('m', { a: '1', b: '2' })] }), NOW).batch as MetricBatch;
    const b = d.decode(encodeObject('metrics', { points: [gauge('m', { b: '2', a: '1' })] }), NOW).batch as MetricBatch;
    assert.equal(a.series[0], b.series[0]);
  });
});
