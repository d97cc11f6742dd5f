import { strict as assert } from 'node:assert';
import { PermanentError, RetryableError, SeriesTable, eventBatch } from '../../../src/api';
import type { EventBatch, MetricBatch } from '../../../src/api';
import { CollectingConsumer, FakeClock, pluginConfig, processorContext } from '../../../src/testing';
import { plugin } from '../../../processors/batch';
import { event, metricBatch } from '../../processing/fixtures';

function setup(config: Record<string, unknown> = {}, signal: 'metrics' | 'events' = 'metrics') {
  const clock = new FakeClock();
  const series = new SeriesTable();
  const next = new CollectingConsumer();
  const ctx = processorContext({ config: pluginConfig(plugin, config), clock, series, next, signal });
  return { clock, series, next, ctx, proc: plugin.create(ctx) };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

function points(series: SeriesTable, n: number, from = 0): MetricBatch {
  const rows = [];
  for (let i = 0; i < n; i++) rows.push({ name: 'm', labels: { s: String(i % 3) }, ts: from + i, value: from + i });
  return metricBatch(series, rows);
}

describe('batch processor', () => {
  it('sends on timeout on a fake clock', async () => {
    const { clock, series, next, proc } = setup({ send_batch_size: 100, timeout: '1s' });
    await proc.consume(points(series, 10));
    await proc.consume(points(series, 10, 10));
    clock.advance(999);
    await settle();
    assert.equal(next.items, 0);
    clock.advance(1);
    await settle();
    assert.equal(next.batches.length, 1);
    assert.equal(next.items, 20);
  });

  it('sends when send_batch_size is reached, the same batch when it is alone (zero copy)', async () => {
    const { series, next, proc } = setup({ send_batch_size: 5 });
    const b = points(series, 5);
    await proc.consume(b);
    await settle();
    assert.equal(next.batches[0], b);
  });

  it('splits at send_batch_max_size and keeps per-series order', async () => {
    const { series, next, proc } = setup({ send_batch_size: 25, send_batch_max_size: 10 });
    for (let k = 0; k < 5; k++) await proc.consume(points(series, 5, k * 5));
    await settle();
    assert.deepEqual(next.batches.map((b) => (b as MetricBatch).length), [10, 10, 5]);
    const values = next.batches.flatMap((b) => [...(b as MetricBatch).values]);
    assert.deepEqual(values, [...Array(25).keys()]);
  });

  it('pins buffered series while downstream refuses, so a sweep cannot free (and reuse) their ids', async () => {
    const { clock, series, next, proc } = setup({ send_batch_size: 100, timeout: '1s' });
    next.failWith = new RetryableError('down');
    const b = points(series, 3);
    await proc.consume(b);
    await proc.flush!().catch(() => undefined);
    series.sweep(Number.MAX_SAFE_INTEGER); // everything unseen is old enough to go
    assert.ok([...b.series].every((id) => series.has(id)), 'buffered series are kept');
    next.failWith = undefined;
    clock.advance(1000);
    await settle();
    assert.equal(next.items, 3);
    assert.deepEqual([...(next.batches[0] as MetricBatch).series].map((id) => series.info(id).labels), [['s', '0'], ['s', '1'], ['s', '2']]);
    series.sweep(Number.MAX_SAFE_INTEGER);
    assert.ok([...b.series].every((id) => !series.has(id)), 'and given back once sent');
  });

  it('does not send again while backing off after a refusal, however much arrives, until the retry after timeout', async () => {
    const { clock, series, next, proc } = setup({ send_batch_size: 5, timeout: '1s' });
    let attempts = 0;
    const consume = next.consume.bind(next);
    next.consume = (batch) => {
      attempts++;
      return consume(batch);
    };
    next.failWith = new RetryableError('busy', { retryAfterMs: 3000 });
    for (let k = 0; k < 10; k++) {
      await proc.consume(points(series, 5, k * 5));
      await settle();
    }
    assert.equal(attempts, 1, 'one send, then it waits');
    next.failWith = undefined;
    clock.advance(999);
    await settle();
    assert.equal(attempts, 1, 'until timeout');
    clock.advance(1);
    await settle();
    assert.equal(next.items, 50);
    assert.deepEqual(next.batches.flatMap((b) => [...(b as MetricBatch).values]), [...Array(50).keys()]);
  });

  it('flushes what it holds on shutdown', async () => {
    const { series, next, proc, clock } = setup({ send_batch_size: 1000 });
    await proc.consume(points(series, 7));
    await proc.shutdown?.();
    assert.equal(next.items, 7);
    assert.equal(clock.pendingTimers, 0);
  });

  it('implements flush() for the flush control command', async () => {
    const { next, proc } = setup({ send_batch_size: 1000 }, 'events');
    await proc.consume(eventBatch([event({ requestId: 'a' }), event({ requestId: 'b' })]));
    await proc.flush?.();
    assert.deepEqual((next.batches[0] as EventBatch).items.map((e) => e.requestId), ['a', 'b']);
  });

  it('keeps refused data buffered, retries it in order, and pushes back once full', async () => {
    const { clock, series, next, proc } = setup({ send_batch_size: 10, max_buffered: 20, timeout: '1s' });
    next.failWith = new RetryableError('downstream busy');
    await proc.consume(points(series, 10, 0));
    await settle();
    await proc.consume(points(series, 10, 10));
    await settle();
    await assert.rejects(proc.consume(points(series, 1, 99)), (err: Error) => err instanceof RetryableError);
    next.failWith = undefined;
    clock.advance(1000);
    await settle();
    await settle();
    assert.deepEqual(next.batches.flatMap((b) => [...(b as MetricBatch).values]), [...Array(20).keys()]);
    await proc.consume(points(series, 1, 20));
  });

  it('drops and counts data refused permanently', async () => {
    const { series, next, proc, ctx } = setup({ send_batch_size: 2 });
    next.failWith = new PermanentError('bad');
    await proc.consume(points(series, 2));
    await settle();
    assert.equal(ctx.telemetry.drops.get('rejected_permanently'), 2);
  });
});
