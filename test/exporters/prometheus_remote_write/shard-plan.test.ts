import assert from 'node:assert/strict';
import { MetricBatchBuilder, MetricKind, NO_LABELS, SeriesTable, labelsFromRecord } from '../../../src/api';
import { SeriesCache } from '../../../src/prometheus/remote-write';
import { planShards, shardOf } from '../../../exporters/prometheus_remote_write/shard-plan';

describe('prometheus_remote_write shard plan', () => {
  it('keeps blocks of neighbouring series ids on one shard and spreads the blocks evenly', () => {
    for (let id = 0; id < 64; id++) assert.equal(shardOf(id, 4), shardOf(0, 4));
    const counts = [0, 0, 0, 0];
    for (let id = 0; id < 20_000; id++) counts[shardOf(id, 4)]!++;
    for (const n of counts) assert.ok(n > 4_000 && n < 6_000, `shard sizes ${counts.join(',')}`);
  });

  it('plans each series on its shard, rows in batch order, requests within max samples, left-out rows counted', () => {
    const table = new SeriesTable();
    const ids = Array.from({ length: 300 }, (_, i) => table.intern(`m${i}`, labelsFromRecord({ i: String(i) }), i === 7 ? MetricKind.DELTA_COUNTER : MetricKind.GAUGE));
    const b = new MetricBatchBuilder();
    for (let t = 0; t < 3; t++) for (const id of ids) b.push(id, 1000 + t, t);
    const batch = b.build();
    const cache = new SeriesCache(table, { externalLabels: NO_LABELS, addSuffixes: false });
    const plan = planShards(batch, table, cache, 4, 100);
    assert.equal(plan.deltaRows, 3);
    assert.equal(plan.unknownSeries, 0);
    let planned = 0;
    plan.rows.forEach((rows, shard) => {
      planned += rows.length;
      for (let k = 0; k < rows.length; k++) {
        assert.equal(shardOf(batch.series[rows[k]!]!, 4), shard);
        if (k > 0) assert.ok(rows[k]! > rows[k - 1]!, 'rows in batch order');
      }
      let end = 0;
      for (const c of plan.chunks[shard]!) {
        assert.equal(c.start, end);
        assert.ok(c.samples <= 100 && c.samples === c.end - c.start);
        end = c.end;
      }
      assert.equal(end, rows.length);
    });
    assert.equal(planned, batch.length - 3);
    cache.dispose();
  });
});
