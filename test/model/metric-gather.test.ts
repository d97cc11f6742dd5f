import { strict as assert } from 'node:assert';
import { MetricBatchBuilder } from '../../src/api';
import { concatMetricColumns, filterMetricRows, gatherMetricRows } from '../../src/model/metric-gather';

function sample(offset: number, withIdentity: boolean) {
  const b = new MetricBatchBuilder(4);
  for (let i = 0; i < 3; i++) {
    b.push(offset + i, 1000 + offset + i, offset + i, undefined, 500);
    if (withIdentity) b.setIdentity(7, `r${offset + i}`);
  }
  return b.build();
}

describe('processing: column-wise gather and concat', () => {
  it('gathers chosen rows with every optional column', () => {
    const b = sample(0, true);
    const out = gatherMetricRows(b, Uint32Array.of(2, 0), 2);
    assert.deepEqual([...out.series], [2, 0]);
    assert.deepEqual([...out.timestamps], [1002, 1000]);
    assert.deepEqual([...out.startTimes!], [500, 500]);
    assert.deepEqual(out.requestIds, ['r2', 'r0']);
    assert.deepEqual([...b.series], [0, 1, 2], 'the source is untouched');
  });
  it('filters by mask, returning the batch itself when all rows stay', () => {
    const b = sample(0, false);
    assert.equal(filterMetricRows(b, Uint8Array.of(1, 1, 1)), b);
    assert.deepEqual([...filterMetricRows(b, Uint8Array.of(0, 1, 0)).values], [1]);
  });
  it('concatenates in order, filling columns only some batches have', () => {
    const out = concatMetricColumns([sample(0, false), sample(10, true)]);
    assert.equal(out.length, 6);
    assert.deepEqual([...out.series], [0, 1, 2, 10, 11, 12]);
    assert.deepEqual(out.requestIds, [undefined, undefined, undefined, 'r10', 'r11', 'r12']);
    assert.deepEqual([...out.epochs!], [0, 0, 0, 7, 7, 7]);
  });
});
