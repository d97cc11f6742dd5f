import assert from 'node:assert/strict';
import fc from 'fast-check';
import { labelsFromRecord, MetricKind, NO_LABELS, normalizeLabels, SeriesTable, withLabel } from '../../src/api';
import type { SeriesVariant } from '../../src/api';

const byLabels = (resolution: string, agg: string): SeriesVariant => ({ nameSuffix: '', labels: normalizeLabels(['resolution', resolution, 'agg', agg]), kind: MetricKind.GAUGE });
const bySuffix = (tier: string, agg: string): SeriesVariant => ({ nameSuffix: `:${tier}:${agg}`, labels: NO_LABELS, kind: MetricKind.GAUGE });

describe('SeriesTable derived series', () => {
  it('derives a series once, with the parent name and labels plus the variant, and counts it', () => {
    const t = new SeriesTable();
    const p = t.intern('cpu', labelsFromRecord({ host: 'a' }), MetricKind.COUNTER, { description: 'CPU', unit: 's' });
    const v = t.variant(byLabels('5m', 'p95'));
    const d = t.derive(p, v);
    assert.notEqual(d, p);
    assert.equal(t.derive(p, v), d);
    assert.equal(t.size, 2);
    assert.ok(t.has(d));
    assert.deepEqual(t.info(d), { name: 'cpu', labels: ['agg', 'p95', 'host', 'a', 'resolution', '5m'], kind: MetricKind.GAUGE, description: 'CPU', unit: 's' });
    const s = t.derive(p, t.variant(bySuffix('5m', 'p95')));
    assert.deepEqual(t.info(s), { name: 'cpu:5m:p95', labels: ['host', 'a'], kind: MetricKind.GAUGE, description: 'CPU', unit: 's' });
  });

  it('finds derived series by name and labels: intern and lookup return their id', () => {
    const t = new SeriesTable();
    const p = t.intern('cpu', labelsFromRecord({ host: 'a' }), MetricKind.GAUGE);
    const d = t.derive(p, t.variant(byLabels('1m', 'mean')));
    const s = t.derive(p, t.variant(bySuffix('1m', 'mean')));
    const info = t.info(d);
    assert.equal(t.lookup(info.name, info.labels), d);
    assert.equal(t.intern(info.name, info.labels, MetricKind.GAUGE), d);
    assert.equal(t.intern('cpu:1m:mean', labelsFromRecord({ host: 'a' }), MetricKind.GAUGE), s);
    assert.equal(t.lookup('cpu', labelsFromRecord({ host: 'a', resolution: '1m', agg: 'max' })), undefined);
    assert.equal(t.size, 3);
  });

  it('returns the plain series that already has the derived name and labels, whenever the variant was registered', () => {
    for (const registerFirst of [true, false]) {
      const t = new SeriesTable();
      const variant = byLabels('1m', 'mean');
      let v = registerFirst ? t.variant(variant) : -1;
      const plain = t.intern('cpu', labelsFromRecord({ host: 'a', resolution: '1m', agg: 'mean' }), MetricKind.GAUGE);
      if (!registerFirst) v = t.variant(variant);
      const p = t.intern('cpu', labelsFromRecord({ host: 'a' }), MetricKind.GAUGE);
      assert.equal(t.derive(p, v), plain, `registered ${registerFirst ? 'before' : 'after'}`);
      assert.equal(t.size, 2);
    }
  });

  it('gives a plain series when the parent already has a variant label (the variant value wins)', () => {
    const t = new SeriesTable();
    const labels = labelsFromRecord({ agg: 'old', host: 'a' });
    const p = t.intern('cpu', labels, MetricKind.GAUGE);
    const d = t.derive(p, t.variant(byLabels('1m', 'mean')));
    assert.deepEqual(t.info(d).labels, withLabel(withLabel(labels, 'resolution', '1m'), 'agg', 'mean'));
    assert.equal(t.lookup(t.info(d).name, t.info(d).labels), d);
  });

  it('shares variants and derived series between stages that register equal variants', () => {
    const t = new SeriesTable();
    const p = t.intern('cpu', NO_LABELS, MetricKind.GAUGE);
    const a = t.variant(byLabels('1m', 'mean'));
    const b = t.variant(byLabels('1m', 'mean'));
    assert.equal(a, b);
    assert.notEqual(t.variant(byLabels('1m', 'max')), a);
    assert.equal(t.derive(p, a), t.derive(p, b));
  });

  it('sweeps derived series like others, keeps a parent while it has derived series, then frees it in the same sweep', () => {
    const t = new SeriesTable();
    t.setNow(1000);
    const p = t.intern('cpu', NO_LABELS, MetricKind.GAUGE);
    const v1 = t.variant(byLabels('1m', 'mean'));
    const v2 = t.variant(byLabels('1m', 'max'));
    const d1 = t.derive(p, v1);
    const d2 = t.derive(p, v2);
    const evicted: number[] = [];
    t.onEvict((ids) => evicted.push(...ids));
    t.setNow(2000);
    t.touch(d1);
    assert.equal(t.sweep(1500), 1, 'only the untouched derived series; its parent is kept by d1');
    assert.deepEqual(evicted, [d2]);
    assert.ok(t.has(p) && t.has(d1) && !t.has(d2));
    assert.equal(t.generation(d2), 1);
    t.retain(d1);
    assert.equal(t.sweep(3000), 0, 'd1 is retained and keeps its parent');
    t.release(d1);
    assert.equal(t.sweep(3000), 2);
    assert.ok(!t.has(p) && !t.has(d1));
    assert.equal(t.size, 0);
    // Freed ids are reused; a new derived series under the reused parent id starts empty.
    const q = t.intern('mem', NO_LABELS, MetricKind.GAUGE);
    const e = t.derive(q, v1);
    assert.equal(t.info(e).name, 'mem');
    assert.equal(t.lookup('cpu', labelsFromRecord({ agg: 'mean', resolution: '1m' })), undefined);
  });

  it('builds the right info for many derived series (beyond the info cache)', () => {
    const t = new SeriesTable();
    const variants = ['mean', 'max', 'p99'].map((agg) => t.variant(byLabels('1h', agg)));
    const ids: [number, string, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const p = t.intern('m', labelsFromRecord({ i: String(i) }), MetricKind.GAUGE);
      variants.forEach((v, k) => ids.push([t.derive(p, v), String(i), ['mean', 'max', 'p99'][k]!]));
    }
    for (const pass of [0, 1]) {
      for (const [id, i, agg] of ids) assert.deepEqual(t.info(id).labels, ['agg', agg, 'i', i, 'resolution', '1h'], `pass ${pass}`);
    }
  });

  it('derive is the same as interning the materialised name and labels (property)', () => {
    const key = fc.constantFrom('agg', 'host', 'job', 'resolution', 'zone');
    const labels = fc.dictionary(key, fc.constantFrom('1m', 'mean', 'a', 'b'), { maxKeys: 3 }).map((r) => labelsFromRecord(r));
    const variant = fc.oneof(
      fc.tuple(fc.constantFrom('1m', '5m'), fc.constantFrom('mean', 'max')).map(([r, a]) => byLabels(r, a)),
      fc.tuple(fc.constantFrom('1m', '5m'), fc.constantFrom('mean', 'max')).map(([r, a]) => bySuffix(r, a)),
    );
    const op = fc.oneof(
      fc.record({ plain: fc.constantFrom('cpu', 'cpu:1m:mean'), labels }),
      fc.record({ parent: fc.nat(20), variant }),
      fc.record({ sweep: fc.constant(true) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const t = new SeriesTable();
        const live: number[] = [];
        for (const o of ops) {
          if ('plain' in o) {
            const id = t.intern(o.plain, o.labels, MetricKind.GAUGE);
            assert.equal(t.lookup(o.plain, o.labels), id);
            live.push(id);
          } else if ('parent' in o) {
            const parents = live.filter((id) => t.has(id));
            if (parents.length === 0) continue;
            const p = parents[o.parent % parents.length]!;
            const pi = t.info(p);
            const id = t.derive(p, t.variant(o.variant));
            const info = t.info(id);
            const expectedLabels = o.variant.labels.length ? withLabel(withLabel(pi.labels, 'resolution', o.variant.labels[3]), 'agg', o.variant.labels[1]) : pi.labels;
            assert.equal(info.name, pi.name + o.variant.nameSuffix);
            assert.deepEqual(info.labels, expectedLabels);
            assert.equal(t.intern(info.name, info.labels, MetricKind.GAUGE), id, 'one id per name and labels');
            live.push(id);
          } else {
            t.sweep(Infinity);
            assert.equal(t.size, 0);
          }
        }
        const names = new Set(live.filter((id) => t.has(id)).map((id) => JSON.stringify([t.info(id).name, t.info(id).labels])));
        assert.equal(names.size, t.size, 'live series have distinct names and labels');
      }),
      { numRuns: 300 },
    );
  });
});
