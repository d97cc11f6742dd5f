import { strict as assert } from 'node:assert';
import { MetricBatchBuilder, type MetricBatch } from '../../../src/api';
import { RefusedRequests } from '../../../receivers/prometheus_remote_write/refused-requests';

function rows(n: number): MetricBatch {
  const b = new MetricBatchBuilder(n);
  for (let i = 0; i < n; i++) b.push(0, i, i);
  return b.build();
}

describe('prometheus_remote_write receiver: requests refused with back-pressure', () => {
  it('keeps several, hands each back once for exactly its bytes, in any order', () => {
    const kept = new RefusedRequests();
    const bodies = [0, 1, 2, 3].map((i) => Buffer.from(`request ${i}`));
    const batches = bodies.map(() => rows(10));
    bodies.forEach((b, i) => kept.keep(b, batches[i]!));
    assert.equal(kept.take(Buffer.from('request 9')), undefined);
    for (const i of [2, 0, 3, 1]) assert.equal(kept.take(Buffer.from(`request ${i}`)), batches[i], `shard ${i}`);
    assert.equal(kept.take(bodies[0]!), undefined, 'handed back once');
  });

  it('bounds what it keeps by requests and by the memory it holds, forgetting the oldest', () => {
    const kept = new RefusedRequests();
    for (let i = 0; i < 10; i++) kept.keep(Buffer.from(`r${i}`), rows(1));
    assert.equal(kept.take(Buffer.from('r1')), undefined, 'only the last 8 requests');
    assert.ok(kept.take(Buffer.from('r2')));
    // 20 bytes a row (ids, times, values): 1M rows hold 20 MB, two of them more than the 32 MiB bound.
    kept.keep(Buffer.from('big'), rows(1_000_000));
    kept.keep(Buffer.from('bigger'), rows(1_000_000));
    assert.equal(kept.take(Buffer.from('big')), undefined, 'over the bound: the oldest goes');
    assert.ok(kept.take(Buffer.from('bigger')));
    kept.keep(Buffer.from('huge'), rows(2_000_000));
    assert.equal(kept.take(Buffer.from('huge')), undefined, 'a request over the bound alone is not kept');
    // A small batch whose columns are views of large buffers holds those buffers whole.
    const small = rows(10);
    const pinning = { ...small, series: new Uint32Array(new ArrayBuffer(40 << 20), 0, 10) };
    kept.keep(Buffer.from('pinning'), pinning);
    assert.equal(kept.take(Buffer.from('pinning')), undefined, 'counted by the buffers it keeps alive, not by its rows');
    kept.keep(Buffer.from('r3'), rows(1));
    kept.clear();
    assert.equal(kept.take(Buffer.from('r3')), undefined);
  });
});
