import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sameBytes } from '../../src/wire/same-bytes';
import { BufferWords, cachedHex, cachedUtf8 } from '../../src/wire/string-cache';

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** `bytes` inside a buffer that itself starts `shift` bytes into its ArrayBuffer (any alignment). */
function placed(bytes: Uint8Array, shift: number, before: number): { buf: Buffer; start: number; end: number } {
  const backing = Buffer.alloc(shift + before + bytes.length + 7, 0x80);
  const buf = backing.subarray(shift, shift + before + bytes.length + 3);
  buf.set(bytes, before);
  return { buf, start: before, end: before + bytes.length };
}

describe('string cache fast paths', () => {
  it('BufferWords: ASCII test and decode agree with the plain ones at every alignment and length', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 90 }), fc.uint8Array({ maxLength: 90 }).map((b) => b.map((x) => x & 0x7f))), fc.nat(3), fc.nat(5), (bytes, shift, before) => {
        const { buf, start, end } = placed(bytes, shift, before);
        const words = new BufferWords(buf);
        assert.equal(words.isAscii(start, end), bytes.every((b) => b < 0x80));
        const text = Buffer.from(bytes);
        const valid = Buffer.from(text.toString('utf8'), 'utf8').equals(text);
        assert.equal(words.utf8(start, end), valid ? text.toString('utf8') : undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('sameBytes compares exactly, whatever the length and where the bytes differ', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(), (bytes, at) => {
        const buf = Buffer.concat([Buffer.from([1]), Buffer.from(bytes), Buffer.from([2, 3]), Buffer.from(bytes), Buffer.from([4])]);
        const view = viewOf(buf);
        const a = 1;
        const b = 3 + bytes.length;
        assert.equal(sameBytes(view, a, view, b, bytes.length), true);
        if (bytes.length === 0) return;
        buf[b + (at % bytes.length)] ^= 0x01;
        assert.equal(sameBytes(view, a, view, b, bytes.length), false);
      }),
      { numRuns: 2000 },
    );
  });

  it('makes span and trace ids (8 and 16 bytes) and short ASCII strings exactly as Buffer does, on a miss and on a hit', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 16), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 14 }), (len, id, ascii) => {
        const ids = Buffer.concat([Buffer.from([9]), Buffer.from(id.subarray(0, len))]);
        assert.equal(cachedHex(ids, viewOf(ids), 1, 1 + len), ids.toString('hex', 1));
        assert.equal(cachedHex(ids, viewOf(ids), 1, 1 + len), ids.toString('hex', 1));
        const text = Buffer.from(`#${ascii}`, 'latin1');
        assert.equal(cachedUtf8(text, viewOf(text), 1, text.length), ascii);
        assert.equal(cachedUtf8(text, viewOf(text), 1, text.length), ascii);
      }),
      { numRuns: 2000 },
    );
  });
});
