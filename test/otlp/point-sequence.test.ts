import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PointSequence, requestWords } from '../../src/otlp/point-sequence';

/** `bytes` placed at byte `offset` of a fresh buffer (so every alignment modulo 8 is exercised). */
function placed(bytes: Uint8Array, offset: number): Buffer {
  const whole = Buffer.alloc(offset + bytes.length + 3);
  whole.set(bytes, offset);
  return whole;
}

function f64Bytes(...values: number[]): Uint8Array {
  const out = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => out.writeDoubleLE(v, 8 * i));
  return out;
}

describe('PointSequence: the positional byte compare behind the series fast path', () => {
  it('matches exactly the stored bytes, at any alignment of either request', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(15), fc.nat(15), fc.nat(79), (bytes, at1, at2, flip) => {
        const seq = new PointSequence();
        const first = placed(bytes, at1);
        seq.set(0, first, at1, at1 + bytes.length, 7, 1);
        const again = placed(bytes, at2);
        assert.equal(seq.matches(0, requestWords(again), at2, at2 + bytes.length), true);
        if (bytes.length > 0) {
          const changed = placed(bytes, at2);
          changed[at2 + (flip % bytes.length)]! ^= 0x01;
          assert.equal(seq.matches(0, requestWords(changed), at2, at2 + bytes.length), false);
        }
        // Another length, or a position never stored, never matches (the buffer has slack after the bytes).
        assert.equal(seq.matches(0, requestWords(again), at2, at2 + bytes.length + 1), false);
        assert.equal(seq.matches(1, requestWords(again), at2, at2 + bytes.length), false);
      }),
      { numRuns: 500 },
    );
  });

  it('tells +0 from -0 and compares NaN payloads bit by bit (8-byte chunks are read as doubles)', () => {
    const NAN_A = Buffer.from([1, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    const NAN_B = Buffer.from([2, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    const cases: [Uint8Array, Uint8Array, boolean][] = [
      [f64Bytes(0, 1, 2), f64Bytes(-0, 1, 2), false],
      [f64Bytes(1, 0, 2), f64Bytes(1, -0, 2), false],
      [f64Bytes(1, 2, -0), f64Bytes(1, 2, -0), true],
      [Buffer.concat([f64Bytes(1), NAN_A, f64Bytes(3)]), Buffer.concat([f64Bytes(1), NAN_B, f64Bytes(3)]), false],
      [Buffer.concat([f64Bytes(1), NAN_A, f64Bytes(3)]), Buffer.concat([f64Bytes(1), NAN_A, f64Bytes(3)]), true],
    ];
    for (const [stored, sent, same] of cases) {
      for (const offset of [0, 3, 8]) {
        for (const sentAt of [0, 3, 8]) {
          const seq = new PointSequence();
          seq.set(0, placed(stored, offset), offset, offset + stored.length, 1, 0);
          assert.equal(seq.matches(0, requestWords(placed(sent, sentAt)), sentAt, sentAt + sent.length), same, `${offset}/${sentAt}`);
        }
      }
    }
  });

  it('keeps every entry right while entries are replaced and the arena is compacted or grown', () => {
    const seq = new PointSequence();
    const current: Buffer[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 40; i++) {
        if (round > 0 && (i + round) % 3 !== 0) continue;
        const bytes = Buffer.from(`series-${i}-${round % 4}-${'x'.repeat((i * 7 + round) % 30)}`);
        const at = (i + round) % 8;
        seq.set(i, placed(bytes, at), at, at + bytes.length, i, round);
        current[i] = bytes;
      }
      for (let i = 0; i < 40; i++) {
        const at = (round + 2 * i) % 8;
        assert.equal(seq.matches(i, requestWords(placed(current[i]!, at)), at, at + current[i]!.length), true, `round ${round} entry ${i}`);
        assert.equal(seq.ids[i], i);
      }
    }
    assert.equal(seq.length, 40);
  });

  it('replaces a long entry by a short one when the arena is full without copying the dead bytes', () => {
    // A sender whose n-th point alternates between a long and a short attribute set.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.integer({ min: 0, max: 1200 }), fc.nat(7)), { minLength: 1, maxLength: 40 }), (steps) => {
        const seq = new PointSequence();
        const current: Buffer[] = [];
        steps.forEach(([index, length, at], step) => {
          const i = Math.min(index, current.length);
          const bytes = Buffer.alloc(length, 1 + (step % 250));
          seq.set(i, placed(bytes, at), at, at + length, i, step);
          current[i] = bytes;
          current.forEach((b, k) => assert.equal(seq.matches(k, requestWords(placed(b, 3)), 3, 3 + b.length), true, `entry ${k} after step ${step}`));
        });
      }),
      { numRuns: 300 },
    );
    const seq = new PointSequence();
    for (const n of [1000, 1010, 10]) seq.set(0, Buffer.alloc(n, n & 0xff), 0, n, 0, 1);
    assert.equal(seq.matches(0, requestWords(Buffer.alloc(10, 10)), 0, 10), true);
  });
});
