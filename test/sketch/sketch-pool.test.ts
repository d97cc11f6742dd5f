import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LogMapping, SketchPool } from '../../src/sketch';

/** The item of rank floor(q (n - 1)), the convention the sketch follows. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function within(actual: number, expected: number, alpha: number): boolean {
  return Math.abs(actual - expected) <= alpha * Math.abs(expected) * (1 + 1e-9) + 1e-300;
}

const value = fc.oneof(
  fc.double({ min: -1e9, max: 1e9, noNaN: true }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constant(0),
  fc.double({ min: 1e-6, max: 1e-3, noNaN: true }),
);

/** Merging each part's sketch into one slot gives the bins of one sketch of all the values. */
function mergesLikeWhole(parts: number[][]): void {
  const pool = new SketchPool();
  const other = new SketchPool();
  const whole = new SketchPool();
  parts.forEach((part, i) => {
    for (const v of part) {
      other.add(i, v);
      whole.add(0, v);
    }
  });
  for (let i = 0; i < parts.length; i++) pool.mergeFrom(100, other, i);
  assert.deepEqual(pool.bins(100), whole.bins(0));
}

describe('LogMapping', () => {
  it('maps every value to a key whose representative is within the relative accuracy', () => {
    const m = new LogMapping(0.01);
    fc.assert(
      fc.property(fc.double({ min: -1e300, max: 1e300, noNaN: true }), (v) => {
        assert.ok(within(m.valueOf(m.keyOf(v)), Math.abs(v) < 1e-300 ? 0 : v, 0.01), `${v}`);
      }),
    );
  });

  it('keeps keys in value order across signs', () => {
    const m = new LogMapping(0.01);
    assert.ok(m.keyOf(-10) < m.keyOf(-1));
    assert.ok(m.keyOf(-1) < m.keyOf(0));
    assert.equal(m.keyOf(0), 0);
    assert.ok(m.keyOf(0) < m.keyOf(1e-200));
    assert.ok(m.keyOf(1) < m.keyOf(10));
  });

  it('refuses an accuracy outside (0, 1)', () => {
    assert.throws(() => new LogMapping(0), RangeError);
  });
});

describe('SketchPool', () => {
  it('answers every quantile within 1% of the exact one', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
        const pool = new SketchPool();
        for (const v of values) pool.add(3, v);
        const sorted = [...values].sort((a, b) => a - b);
        assert.equal(pool.count(3), values.length);
        assert.ok(within(pool.quantile(3, q), exactQuantile(sorted, q), 0.01));
      }),
    );
  });

  it('merges to the same bins as adding everything to one sketch, whatever the split', () => {
    fc.assert(fc.property(fc.array(fc.array(value, { maxLength: 60 }), { minLength: 1, maxLength: 8 }), mergesLikeWhole));
  });

  it('merges in place when the target already holds every key, and grows when it does not', () => {
    // Few distinct values: most merges find every key present (counts added in place).
    const few = fc.constantFrom(-3, 0, 1, 2.5, 40, 1e6);
    fc.assert(fc.property(fc.array(fc.array(few, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 8 }), mergesLikeWhole));
  });

  it('bounds the bins by collapsing the lowest, keeping upper quantiles within 1%', () => {
    const pool = new SketchPool({ maxBins: 64 });
    const values: number[] = [];
    for (let i = 1; i <= 5000; i++) values.push(i * 1.7);
    for (const v of values) pool.add(0, v);
    assert.equal(pool.binCount(0), 64);
    assert.equal(pool.count(0), 5000);
    assert.ok(within(pool.quantile(0, 0.99), exactQuantile(values, 0.99), 0.01));
    assert.ok(within(pool.quantile(0, 1), values[values.length - 1]!, 0.01));
  });

  it('reuses freed blocks and slots', () => {
    const pool = new SketchPool();
    for (let round = 0; round < 3; round++) {
      for (let s = 0; s < 50; s++) for (let i = 0; i < 40; i++) pool.add(s, i + 1);
      const size = pool.byteSize;
      for (let s = 0; s < 50; s++) pool.clear(s);
      if (round > 0) assert.equal(pool.byteSize, size);
    }
    assert.equal(pool.binCount(0), 0);
    assert.ok(Number.isNaN(pool.quantile(0, 0.5)));
  });

  it('takes weights (histogram buckets)', () => {
    const pool = new SketchPool();
    pool.add(0, 10, 99);
    pool.add(0, 1000, 1);
    assert.equal(pool.count(0), 100);
    assert.ok(within(pool.quantile(0, 0.5), 10, 0.01));
    assert.ok(within(pool.quantile(0, 1), 1000, 0.01));
  });
});
