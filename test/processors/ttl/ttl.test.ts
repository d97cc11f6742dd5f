import { strict as assert } from 'node:assert';
import { RetryableError, SeriesTable, alertBatch, controlBatch, eventBatch } from '../../../src/api';
import type { AlertNotification, EventBatch, MetricBatch } from '../../../src/api';
import { CollectingConsumer, FakeClock, pluginConfig, processorContext } from '../../../src/testing';
import { plugin } from '../../../processors/ttl';
import type { Deduplicator } from '../../../processors/ttl/deduplicator';
import { event, memoryAfterGc, metricBatch } from '../../processing/fixtures';

function setup(signal: 'metrics' | 'events' | 'alerts' | 'control', config: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const series = new SeriesTable();
  const next = new CollectingConsumer();
  const ctx = processorContext({ config: pluginConfig(plugin, config), clock, series, next, signal });
  const proc = plugin.create(ctx) as Deduplicator;
  return { clock, series, next, ctx, proc };
}

describe('ttl processor', () => {
  it('drops a retried event within the TTL and accepts it after', async () => {
    const { clock, next, proc, ctx } = setup('events');
    await proc.consume(eventBatch([event({ requestId: 'a' }), event({ requestId: 'b' })]));
    await proc.consume(eventBatch([event({ requestId: 'a' }), event({ requestId: 'c' })]));
    assert.deepEqual(next.batches.flatMap((b) => (b as EventBatch).items.map((e) => e.requestId)), ['a', 'b', 'c']);
    assert.equal(ctx.telemetry.drops.get('duplicate'), 1);
    clock.advance(3_600_000);
    await proc.consume(eventBatch([event({ requestId: 'a' })]));
    assert.equal(next.items, 4, 'after the 1h default TTL the key is new again');
  });

  it('tells epochs apart and lets items without a request id pass', async () => {
    const { next, proc } = setup('events');
    await proc.consume(eventBatch([event({ epoch: 1 }), event({ epoch: 2 }), event({ requestId: '' }), event({ requestId: '' })]));
    assert.equal(next.items, 4);
  });

  it('recognises a retried event whose epoch is NaN (NaN never equals itself)', async () => {
    const { next, proc } = setup('events');
    await proc.consume(eventBatch([event({ epoch: NaN, requestId: 'n' })]));
    await proc.consume(eventBatch([event({ epoch: NaN, requestId: 'n' })]));
    assert.equal(next.items, 1);
  });

  it('de-duplicates a replayed metrics request by (series, timestamp)', async () => {
    const { clock, series, next, proc, ctx } = setup('metrics');
    const t = clock.now();
    const rows = [
      { name: 'up', labels: { host: 'a' }, ts: t, value: 1 },
      { name: 'up', labels: { host: 'b' }, ts: t, value: 1 },
      { name: 'up', labels: { host: 'a' }, ts: t + 1000, value: 2 },
    ];
    const first = metricBatch(series, rows);
    await proc.consume(first);
    assert.equal(next.batches[0], first, 'nothing duplicated: passed through untouched');
    await proc.consume(metricBatch(series, rows));
    assert.equal(next.items, 3);
    assert.equal(ctx.telemetry.drops.get('duplicate'), 3);
    await proc.consume(metricBatch(series, [...rows, { name: 'up', labels: { host: 'b' }, ts: t + 1000, value: 2 }]));
    assert.equal(next.items, 4);
    assert.equal((next.batches[1] as MetricBatch).values[0], 2);
  });

  it('forgets what a refused batch carried, so the retry passes', async () => {
    const { next, proc } = setup('events');
    next.failWith = new RetryableError('full');
    await assert.rejects(proc.consume(eventBatch([event()])));
    next.failWith = undefined;
    await proc.consume(eventBatch([event()]));
    assert.equal(next.items, 1);
  });

  it('de-duplicates alerts by request id or by notification identity, over 24h', async () => {
    const { clock, next, proc } = setup('alerts');
    const alert: AlertNotification = { alertName: 'HighLoad', state: 'firing', severity: 'warn', labels: { host: 'a' }, annotations: {}, startsAtMs: 1, endsAtMs: 0 };
    await proc.consume(alertBatch([alert, { ...alert, labels: { host: 'b' } }]));
    clock.advance(23 * 3_600_000);
    await proc.consume(alertBatch([alert, { ...alert, state: 'resolved' }]));
    assert.equal(next.items, 3);
  });

  it('de-duplicates control commands by request id', async () => {
    const { next, proc } = setup('control');
    const cmd = { command: 'flush', target: '', args: {}, issuedAtMs: 0, requestId: 'c1', epoch: 1 };
    await proc.consume(controlBatch([cmd]));
    await proc.consume(controlBatch([cmd]));
    assert.equal(next.items, 1);
  });

  it('cleans expired keys on the cleanup interval and releases their memory', async () => {
    const { clock, next, proc } = setup('events', { events_ttl: '1m', cleanup_interval: '5m', cleanup_batch_size: 10_000 });
    await proc.start?.();
    const before = memoryAfterGc();
    for (let b = 0; b < 100; b++) {
      const items = [];
      for (let i = 0; i < 1000; i++) items.push(event({ requestId: `req-${b}-${i}-${'x'.repeat(8)}` }));
      await proc.consume(eventBatch(items));
      next.clear(); // only the de-duplication keys may stay in memory
    }
    assert.equal(proc.keys.size, 100_000);
    const full = memoryAfterGc();
    clock.advance(5 * 60_000); // fires the cleanup
    for (let i = 0; i < 50 && proc.keys.cleaned < 100_000; i++) await new Promise((r) => setImmediate(r));
    assert.equal(proc.keys.size, 0);
    assert.equal(proc.keys.cleaned, 100_000);
    const after = memoryAfterGc();
    assert.ok(after - before < (full - before) / 5, `retained ${after - before} of ${full - before} bytes`);
    await proc.shutdown?.();
  });

  it('bounds memory with oldest-first eviction at max_entries', async () => {
    const { next, proc } = setup('events', { max_entries: 2 });
    await proc.consume(eventBatch([event({ requestId: 'a' }), event({ requestId: 'b' }), event({ requestId: 'c' })]));
    await proc.consume(eventBatch([event({ requestId: 'a' }), event({ requestId: 'c' })]));
    assert.equal(next.items, 4, '`a` was evicted, so it passes again; `c` is still a duplicate');
    assert.equal(proc.keys.evicted, 2);
  });

  it('forgets series marks after the metrics TTL', async () => {
    const { clock, series, next, proc } = setup('metrics', { metrics_ttl: '10m' });
    const t = clock.now();
    await proc.consume(metricBatch(series, [{ name: 'up', ts: t, value: 1 }]));
    assert.equal(proc.points.size, 1);
    clock.advance(11 * 60_000);
    assert.equal(await proc.cleanup(), 1);
    assert.equal(proc.points.size, 0);
    await proc.consume(metricBatch(series, [{ name: 'up', ts: t, value: 1 }]));
    assert.equal(next.items, 2);
  });
});
