import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteStringCache, cachedHex, cachedUtf8, MAX_CACHED_BYTES, utf8 } from '../../src/wire/string-cache';

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** `bytes` placed at an odd offset inside a larger buffer, so reads must honour start/end. */
function embedded(bytes: Buffer): { buf: Buffer; view: DataView; start: number; end: number } {
  const buf = Buffer.concat([Buffer.from([0xff, 0x41, 0x42]), bytes, Buffer.from([0xfe, 0x43])]);
  return { buf, view: viewOf(buf), start: 3, end: 3 + bytes.length };
}

describe('string cache', () => {
  it('decodes exactly what toString would, for any valid UTF-8, cached or not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary-ascii', maxLength: 40 })), (s) => {
        const { buf, view, start, end } = embedded(Buffer.from(s, 'utf8'));
        const expected = buf.toString('utf8', start, end);
        assert.equal(cachedUtf8(buf, view, start, end), expected);
        assert.equal(cachedUtf8(buf, view, start, end), expected); // the cached copy
        assert.equal(utf8(buf, view, start, end), expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns undefined for invalid UTF-8, also when valid bytes of the same length were cached', () => {
    for (const bad of [[0xc3], [0x61, 0xff, 0x62], [0xe2, 0x82], [0xed, 0xa0, 0x80], Array.from({ length: 200 }, (_, i) => (i === 150 ? 0x80 : 0x61))]) {
      const valid = embedded(Buffer.alloc(bad.length, 0x61));
      cachedUtf8(valid.buf, valid.view, valid.start, valid.end);
      const { buf, view, start, end } = embedded(Buffer.from(bad));
      assert.equal(cachedUtf8(buf, view, start, end), undefined, `bytes ${bad.slice(0, 4).join(',')}`);
      assert.equal(utf8(buf, view, start, end), undefined);
    }
  });

  it('returns the right string for the bytes, also when every slot of the table collides', () => {
    const a = embedded(Buffer.from('service.name'));
    const b = embedded(Buffer.from('service.name'));
    assert.equal(cachedUtf8(a.buf, a.view, a.start, a.end), 'service.name');
    assert.equal(cachedUtf8(b.buf, b.view, b.start, b.end), 'service.name');
    // Many strings of one length differing in one byte, in a small table: every slot collides.
    const small = new ByteStringCache(4, false);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i++) {
        const s = `host-${String(i).padStart(3, '0')}.eu`;
        const e = embedded(Buffer.from(s));
        assert.equal(small.get(e.buf, e.view, e.start, e.end), s);
      }
    }
  });

  it('decodes strings longer than the cached size every time, and empty ones as ""', () => {
    const long = 'x'.repeat(MAX_CACHED_BYTES) + 'é';
    const e = embedded(Buffer.from(long));
    assert.equal(cachedUtf8(e.buf, e.view, e.start, e.end), long);
    assert.equal(cachedUtf8(e.buf, e.view, 4, 4), '');
    assert.equal(utf8(e.buf, e.view, 4, 4), '');
  });

  it('hex-encodes ids, repeated or not, short or long', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (bytes) => {
        const { buf, view, start, end } = embedded(Buffer.from(bytes));
        const expected = Buffer.from(bytes).toString('hex');
        assert.equal(cachedHex(buf, view, start, end), expected);
        assert.equal(cachedHex(buf, view, start, end), expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a table size that is not a power of two', () => {
    assert.throws(() => new ByteStringCache(100, false), /power of two/);
  });
});
