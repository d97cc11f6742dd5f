import { strict as assert } from 'node:assert';
import { compressSync } from 'snappy';
import { isPermanent } from '../../../src/api';
import { snappyUncompressedLength, uncompressBody } from '../../../src/prometheus/remote-write';

describe('remote write snappy bodies', () => {
  const plain = Buffer.from(Array.from({ length: 5000 }, (_, i) => `series_${i % 97}{job="j"} ${i}\n`).join(''));
  const block = compressSync(plain);

  it('inflates to the original bytes, as long as the header declares', async () => {
    assert.deepEqual(await uncompressBody(block), plain);
    assert.equal(snappyUncompressedLength(block), plain.length);
  });

  it('refuses bytes that are not snappy with a permanent error (400)', async () => {
    const corrupt = Buffer.from(block);
    corrupt.fill(0xff, 8, 64);
    for (const bad of [Buffer.from('not snappy at all'), corrupt]) {
      await assert.rejects(uncompressBody(bad), (err: unknown) => isPermanent(err) && /invalid snappy data/.test(String(err)));
    }
  });
});
