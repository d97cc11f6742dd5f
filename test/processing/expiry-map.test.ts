import { strict as assert } from 'node:assert';
import { ExpiryMap } from '../../src/processing/expiry-map';
import { heapAfterGc } from './fixtures';

const noYield = (): Promise<void> => Promise.resolve();

describe('processing: ExpiryMap', () => {
  it('reports a key again only after its TTL', () => {
    const m = new ExpiryMap(60_000, 100);
    assert.equal(m.add('a', 0), true);
    assert.equal(m.add('a', 59_000), false);
    assert.equal(m.add('a', 60_000), true, 'expired keys count as new');
  });
  it('evicts oldest first at max_entries, without quadratic scans', () => {
    const m = new ExpiryMap(3_600_000, 1000);
    for (let i = 0; i < 50_000; i++) m.add(`k${i}`, 0);
    assert.equal(m.size, 1000);
    assert.equal(m.evicted, 49_000);
    assert.equal(m.has('k48999', 0), false);
    assert.equal(m.has('k49000', 0), true);
  });
  it('cleans expired keys in chunks, yielding between them', async () => {
    const m = new ExpiryMap(1000, 1_000_000);
    for (let i = 0; i < 25; i++) m.add(`old${i}`, 0);
    for (let i = 0; i < 5; i++) m.add(`new${i}`, 5000);
    let yields = 0;
    const removed = await m.cleanup(2000, 10, async () => void yields++);
    assert.equal(removed, 25);
    assert.equal(yields, 2);
    assert.equal(m.size, 5);
    assert.equal(m.cleaned, 25);
  });
  it('releases the memory of expired keys', async () => {
    const before = heapAfterGc();
    let m: ExpiryMap | undefined = new ExpiryMap(1000, 1_000_000);
    for (let i = 0; i < 200_000; i++) m.add(`${i}\u0000request-${i.toString(36).padStart(12, '0')}`, 0);
    const full = heapAfterGc();
    const perKey = (full - before) / 200_000;
    assert.ok(perKey < 150, `${perKey.toFixed(1)} bytes per key`);
    await m.cleanup(10_000, 10_000, noYield);
    assert.equal(m.size, 0);
    const after = heapAfterGc();
    assert.ok(after - before < (full - before) / 10, `heap after expiry ${after - before} of ${full - before}`);
    m = undefined;
  });
});
