import assert from 'node:assert/strict';
import fc from 'fast-check';
import { M_COUNT, M_LAST, M_MAX, M_MEAN, M_MIN, M_SUM, MomentsArray } from '../../src/sketch';

function close(a: number, b: number, scale: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, scale);
}

describe('MomentsArray', () => {
  it('merged with Chan equals the moments of all points, whatever the split', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 6 }), (parts) => {
        const parts$ = new MomentsArray();
        const merged = new MomentsArray();
        merged.reset(0);
        let ts = 0;
        parts.forEach((part, i) => {
          parts$.reset(i);
          for (const v of part) parts$.add(i, v, ts++);
          merged.mergeFrom(0, parts$, i);
        });
        const all = parts.flat();
        const n = all.length;
        const mean = all.reduce((a, b) => a + b, 0) / n;
        const variance = all.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
        const scale = Math.max(...all.map(Math.abs));
        assert.equal(merged.get(0, M_COUNT), n);
        assert.ok(close(merged.get(0, M_MEAN), mean, scale));
        assert.ok(close(merged.get(0, M_SUM), mean * n, scale * n));
        assert.ok(close(merged.stddev(0), Math.sqrt(variance), scale));
        assert.equal(merged.get(0, M_MIN), Math.min(...all));
        assert.equal(merged.get(0, M_MAX), Math.max(...all));
        assert.equal(merged.get(0, M_LAST), all[n - 1]);
      }),
    );
  });

  it('keeps the last value by timestamp, not by arrival', () => {
    const m = new MomentsArray();
    m.reset(0);
    m.add(0, 5, 200);
    m.add(0, 7, 100);
    assert.equal(m.get(0, M_LAST), 5);
  });

  it('round-trips through read/write and reports unknown M2 as NaN stddev', () => {
    const m = new MomentsArray();
    m.reset(0);
    m.addGroup(0, 10, 50, 5, NaN, 1, 9, NaN, 1);
    const copy = new MomentsArray();
    copy.write(7, m.read(0));
    assert.deepEqual(copy.read(7).slice(0, 2), [10, 50]);
    assert.ok(Number.isNaN(copy.stddev(7)));
  });
});
