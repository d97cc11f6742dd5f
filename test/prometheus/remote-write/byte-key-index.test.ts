import assert from 'node:assert/strict';
import { ByteKeyIndex } from '../../../src/prometheus/remote-write/byte-key-index';

describe('ByteKeyIndex', () => {
  it('numbers distinct byte strings densely and finds each again exactly, prefixes and empty included', () => {
    const index = new ByteKeyIndex();
    // Many keys (several rehashes and arena growths), of every length around the 8-byte steps.
    const keys = Array.from({ length: 5000 }, (_, i) => Buffer.from(`k${i}`.padEnd(1 + (i % 40), 'x')));
    keys.push(Buffer.alloc(0));
    const seen = new Map<string, number>();
    for (const k of keys) {
      const hex = k.toString('hex');
      if (seen.has(hex)) continue;
      assert.equal(index.lookup(k, 0, k.length), -1);
      seen.set(hex, index.add(k, 0, k.length));
    }
    assert.equal(index.size, seen.size);
    assert.deepEqual([...seen.values()], Array.from({ length: seen.size }, (_, i) => i));
    // Found again inside another buffer, at an unaligned offset.
    for (const [hex, n] of seen) {
      const k = Buffer.from(hex, 'hex');
      const host = Buffer.concat([Buffer.from([1, 2, 3]), k, Buffer.from([4])]);
      assert.equal(index.lookup(host, 3, 3 + k.length), n);
      assert.equal(index.matches(n, host, 3, 3 + k.length), true);
    }
    assert.equal(index.lookup(Buffer.from('k1xy'), 0, 4), -1, 'one byte more than a key is another key');
  });

  it('hints the key that followed the previous one last time, whatever the request, and forgets all on clear', () => {
    const index = new ByteKeyIndex();
    const [a, b, c, d] = ['aaaa', 'bbbbbbbbbb', 'cc', 'ddddd'].map((s) => Buffer.from(s));
    const key = (buf: Buffer): number => index.add(buf, 0, buf.length);
    index.beginRequest();
    assert.equal(index.hint(), -1);
    const [ka, kb] = [key(a!), key(b!)];
    index.settle(ka);
    index.settle(kb);
    // A second shard's request, with other series, in between.
    index.beginRequest();
    assert.equal(index.hint(), ka, 'a request starts with the last request\'s first key as hint');
    const [kc, kd] = [key(c!), key(d!)];
    index.settle(kc);
    index.settle(kd);
    // The first shard again: after `a` comes `b`, although `b` is not at the position `d` had.
    index.beginRequest();
    assert.equal(index.hint(), kc);
    index.settle(ka);
    assert.deepEqual([index.hint(), index.keyLength(kb)], [kb, b!.length]);
    index.settle(kb);
    assert.equal(index.hint(), -1, 'nothing followed b yet');
    index.settle(kd);
    index.beginRequest();
    index.settle(kb);
    assert.equal(index.hint(), kd, 'the latest successor wins');
    index.clear();
    assert.equal(index.size, 0);
    assert.equal(index.hint(), -1);
    index.beginRequest();
    assert.equal(index.hint(), -1);
    assert.equal(index.lookup(a!, 0, a!.length), -1);
  });
});
