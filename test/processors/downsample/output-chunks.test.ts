import assert from 'node:assert/strict';
import { OutputChunks } from '../../../processors/downsample/output-chunks';

describe('downsample output chunks', () => {
  it('hands out every point in push order, in exactly sized batches of at most the chunk size', () => {
    const out = new OutputChunks(4);
    for (let i = 0; i < 10; i++) out.push(i, 1000 + i, i / 2);
    assert.equal(out.length, 10);
    const batches = out.take();
    assert.deepEqual(batches.map((b) => b.length), [4, 4, 2]);
    for (const b of batches) assert.equal(b.series.length, b.length, 'no slack behind a batch');
    const series = batches.flatMap((b) => [...b.series]);
    const timestamps = batches.flatMap((b) => [...b.timestamps]);
    const values = batches.flatMap((b) => [...b.values]);
    assert.deepEqual(series, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(timestamps, series.map((i) => 1000 + i));
    assert.deepEqual(values, series.map((i) => i / 2));
    assert.equal(out.length, 0);
    assert.deepEqual(out.take(), []);
  });

  it('never writes into a batch it handed out', () => {
    const out = new OutputChunks(2);
    out.push(1, 1, 1);
    const [partial] = out.take();
    out.push(2, 2, 2);
    out.push(3, 3, 3);
    const [full] = out.take();
    out.push(4, 4, 4);
    out.push(5, 5, 5);
    out.take();
    assert.deepEqual([...partial!.series], [1]);
    assert.deepEqual([...full!.series], [2, 3]);
  });
});
