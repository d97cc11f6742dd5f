import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { ExpiryMap } from '../../src/processing/expiry-map';
import { memoryAfterGc } from './fixtures';

/** Keys of 2 to 40 characters, some beyond Latin-1. */
const keyOf = (wide: boolean, k: number): string => `${wide ? '\u4e2d' : 'k'}-${k}-${'x'.repeat(k % 37)}`;

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
    const before = memoryAfterGc();
    let m: ExpiryMap | undefined = new ExpiryMap(1000, 1_000_000);
    for (let i = 0; i < 200_000; i++) m.add(`${i}\u0000request-${i.toString(36).padStart(12, '0')}`, 0);
    const full = memoryAfterGc();
    const perKey = (full - before) / 200_000;
    assert.ok(perKey < 150, `${perKey.toFixed(1)} bytes per key`);
    await m.cleanup(10_000, 10_000, noYield);
    assert.equal(m.size, 0);
    const after = memoryAfterGc();
    assert.ok(after - before < (full - before) / 10, `heap after expiry ${after - before} of ${full - before}`);
    m = undefined;
  });
  it('tells keys apart by epoch and by every character, Latin-1 or not', () => {
    const m = new ExpiryMap(60_000, 100);
    assert.equal(m.add('req', 0, 1), true);
    assert.equal(m.add('req', 0, 2), true, 'another epoch');
    assert.equal(m.add('req', 0, 2 ** 40 + 1), true, 'epochs beyond 32 bits');
    assert.equal(m.add('req', 0, 1), false);
    for (const k of ['réq', 'rëq', 'r\u20acq', 'r\u20adq', 're', 'req\u0000', '']) assert.equal(m.add(k, 0, 1), true, JSON.stringify(k));
    assert.equal(m.add('r\u20acq', 0, 1), false);
    assert.equal(m.has('réq', 0, 1), true);
    assert.equal(m.size, 10);
  });
  it('forgets deleted keys, and re-inserts an expired one at the tail of the eviction order', () => {
    const m = new ExpiryMap(1000, 3);
    m.add('a', 0);
    m.add('b', 0);
    m.delete('a');
    assert.equal(m.has('a', 0), false);
    assert.equal(m.add('a', 600), true, 'deleted: new again');
    assert.equal(m.add('b', 1600), true, 'expired: new again');
    m.add('c', 1600);
    m.add('d', 1600); // evicts the oldest: a (re-added at 600), not b (re-added at 1600)
    assert.equal(m.evicted, 1);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => m.has(k, 1600)), [false, true, true, true]);
  });
  it('behaves like a Map of expiries under random adds, deletes, cleanups and growth', async () => {
    const op = fc.oneof(
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 3000 }), wide: fc.boolean(), dt: fc.integer({ min: 0, max: 20 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 3000 }), wide: fc.boolean(), dt: fc.constant(0) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('cleanup' as const), key: fc.constant(0), wide: fc.constant(false), dt: fc.integer({ min: 0, max: 500 }) }) },
    );
    // A short TTL exercises expiry; a long one lets the map grow (ring re-laid, arena compacted).
    const params = fc.record({ max: fc.integer({ min: 1, max: 5000 }), ttl: fc.constantFrom(2000, 10_000_000) });
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 500, maxLength: 8000 }), params, async (ops, { max, ttl }) => {
      const m = new ExpiryMap(ttl, max);
      const model = new Map<string, number>(); // key -> expiry ms, in insertion (= eviction) order
      let now = 0;
      for (const o of ops) {
        now += o.dt;
        const key = keyOf(o.wide, o.key);
        if (o.kind === 'add') {
          const live = (model.get(key) ?? -1) > now;
          assert.equal(m.add(key, now, o.key % 3), !live, `add ${key} at ${now}`);
          if (live) continue;
          model.delete(key);
          if (model.size >= max) model.delete(model.keys().next().value!);
          model.set(key, Math.ceil((now + ttl) / 1000) * 1000);
        } else if (o.kind === 'delete') {
          m.delete(key, o.key % 3);
          model.delete(key);
        } else {
          await m.cleanup(now, 100, noYield);
          for (const [k, e] of model) if (e <= now) model.delete(k);
          assert.equal(m.size, model.size, 'size after cleanup');
        }
      }
      for (let k = 0; k <= 3000; k += 7) for (const w of [false, true]) {
        const key = keyOf(w, k);
        assert.equal(m.has(key, now, k % 3), (model.get(key) ?? -1) > now, key);
      }
    }), { numRuns: 30, endOnFailure: true });
  });
  it('keeps every key exactly across growth, deletions and re-layouts', () => {
    const m = new ExpiryMap(3_600_000, 1_000_000);
    for (let k = 0; k < 6000; k++) m.add(keyOf(k % 5 === 0, k), 0);
    for (let k = 0; k < 6000; k += 3) m.delete(keyOf(k % 5 === 0, k));
    for (let k = 6000; k < 20_000; k++) m.add(keyOf(k % 5 === 0, k), 0);
    for (let k = 0; k < 20_000; k++) assert.equal(m.has(keyOf(k % 5 === 0, k), 0), k >= 6000 || k % 3 !== 0, `key ${k}`);
    assert.equal(m.size, 20_000 - 2000);
  });
});
