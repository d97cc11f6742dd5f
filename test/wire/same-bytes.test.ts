import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sameBytes } from '../../src/wire/same-bytes';

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Eight-byte words that as doubles are zeros (equal without the same bytes), NaNs (never equal) or infinite. */
const TRICKY_WORDS = [
  [0, 0, 0, 0, 0, 0, 0, 0], // +0
  [0, 0, 0, 0, 0, 0, 0, 0x80], // -0
  [1, 0, 0, 0, 0, 0, 0xf8, 0x7f], // a NaN
  [2, 0, 0, 0, 0, 0, 0xf0, 0x7f], // the Prometheus stale marker, another NaN
  [0, 0, 0, 0, 0, 0, 0xf8, 0x7f], // the canonical NaN
  [0, 0, 0, 0, 0, 0, 0xf0, 0x7f], // +Infinity
];

describe('sameBytes', () => {
  it('agrees with Buffer.equals on any runs, at any offsets, also where words are zeros or NaNs as doubles', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 70 }),
      fc.array(fc.constantFrom(...TRICKY_WORDS), { maxLength: 8 }).map((ws) => Uint8Array.from(ws.flat())),
    );
    fc.assert(
      fc.property(bytes, bytes, fc.nat(7), fc.nat(7), fc.boolean(), (x, y, padX, padY, overwrite) => {
        // Compare x with y, or with a copy of x that differs only where y overwrites it (equal runs come often).
        const other = overwrite ? Uint8Array.from(x, (v, i) => (i < y.length ? y[i]! : v)) : y;
        const n = Math.min(x.length, other.length);
        const bx = new Uint8Array(padX + n);
        bx.set(x.subarray(0, n), padX);
        const by = new Uint8Array(padY + n);
        by.set(other.subarray(0, n), padY);
        const expected = Buffer.from(x.subarray(0, n)).equals(Buffer.from(other.subarray(0, n)));
        assert.equal(sameBytes(view(bx), padX, view(by), padY, n), expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('tells +0 from -0 and a NaN from another, and finds two equal NaN words equal', () => {
    for (const w of TRICKY_WORDS) {
      for (const v of TRICKY_WORDS) {
        const a = Uint8Array.from([...w, 9, ...w]);
        const b = Uint8Array.from([...v, 9, ...v]);
        assert.equal(sameBytes(view(a), 0, view(b), 0, a.length), w === v, `${w} vs ${v}`);
      }
    }
  });
});
