import assert from 'node:assert/strict';
import { pluginConfig } from '../../../src/testing';
import { plugin } from '../../../processors/downsample';
import type { DownsampleConfig } from '../../../processors/downsample/config';
import { resolveTiers } from '../../../processors/downsample/tier-spec';

describe('downsample config', () => {
  it('fills the documented defaults through the schema', () => {
    const c = pluginConfig<DownsampleConfig>(plugin, {});
    assert.deepEqual(c.tiers.map((t) => [t.name, t.interval, t.source]), [['1m', '1m', 'raw'], ['5m', '5m', '1m'], ['1h', '1h', '5m'], ['1d', '1d', '1h']]);
    assert.equal(c.allowed_lateness, '5s');
    assert.equal(c.forward_raw, true);
    assert.deepEqual(c.checkpoint, { directory: '', interval: '1m' });
    const specs = resolveTiers(c.tiers);
    assert.deepEqual(specs.map((s) => s.needsSketch), [true, true, true, true], '1m keeps sketches: 5m percentiles come from them');
    assert.deepEqual(specs.map((s) => s.children), [[1], [2], [3], []]);
  });

  it('fills per-tier defaults and accepts pNN.N percentiles', () => {
    const c = pluginConfig<DownsampleConfig>(plugin, { tiers: [{ name: 'fast', interval: '10s', aggregations: ['p99.9', 'stddev'] }] });
    assert.deepEqual(c.tiers[0]!.counter_aggregations, ['increase', 'rate', 'last']);
    const [spec] = resolveTiers(c.tiers);
    assert.ok(Math.abs(spec!.gaugeAggs[0]!.q - 0.999) < 1e-12);
    assert.equal(spec!.source, -1);
  });

  it('keeps sketches only where a percentile is emitted or fed', () => {
    const specs = resolveTiers([
      { name: 'a', interval: '1s', source: '', retention: '', aggregations: ['mean'], counter_aggregations: [] },
      { name: 'b', interval: '5s', source: '', retention: '', aggregations: ['max'], counter_aggregations: [] },
      { name: 'c', interval: '5s', source: 'a', retention: '', aggregations: ['p50'], counter_aggregations: [] },
    ]);
    assert.deepEqual(specs.map((s) => s.needsSketch), [true, false, true]);
  });

  it('rejects unknown aggregations, keys and sources', () => {
    assert.throws(() => pluginConfig(plugin, { tiers: [{ name: 'x', interval: '1m', aggregations: ['median'] }] }));
    assert.throws(() => pluginConfig(plugin, { tier: [] }));
    assert.throws(() => resolveTiers([{ name: 'x', interval: '1m', source: 'nope', retention: '', aggregations: [], counter_aggregations: [] }]), /source "nope"/);
    assert.throws(() => resolveTiers([{ name: 'raw', interval: '1m', source: '', retention: '', aggregations: [], counter_aggregations: [] }]), /reserved/);
  });
});
