import { strict as assert } from 'node:assert';
import { MetricBatchBuilder, MetricKind, SeriesTable, labelsFromRecord, type MetricBatch } from '../../src/api';
import { MemoryQueue } from '../../src/runtime/batch-queue';

function batchOf(table: SeriesTable, name: string): MetricBatch {
  const b = new MetricBatchBuilder(1);
  b.push(table.intern(name, labelsFromRecord({ k: 'v' }), MetricKind.GAUGE), 1, 1);
  return b.build();
}

describe('memory sending queue', () => {
  it('pins the series of queued batches until done or dropped, so a long outage cannot free their ids', async () => {
    const table = new SeriesTable();
    const queue = new MemoryQueue(10, table);
    const [a, b] = [batchOf(table, 'a'), batchOf(table, 'b')];
    queue.offer(a);
    queue.offer(b);
    table.sweep(Number.MAX_SAFE_INTEGER);
    assert.ok(table.has(a.series[0]!) && table.has(b.series[0]!), 'queued series are kept');
    assert.equal(queue.dropOldest(), a);
    const taken = await queue.take();
    assert.equal(taken!.batch, b);
    table.sweep(Number.MAX_SAFE_INTEGER);
    assert.equal(table.has(a.series[0]!), false, 'a dropped batch gives its series back');
    assert.ok(table.has(b.series[0]!), 'a batch being sent keeps them');
    taken!.done();
    taken!.done(); // twice is once
    table.sweep(Number.MAX_SAFE_INTEGER);
    assert.equal(table.has(b.series[0]!), false, 'and gives them back once done');
  });
});
