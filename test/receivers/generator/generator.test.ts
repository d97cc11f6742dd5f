import { strict as assert } from 'node:assert';
import { getLabel, RetryableError, type EventBatch, type MetricBatch, type ReceiverInstance } from '../../../src/api';
import { CollectingOutput, FakeClock, pluginConfig, receiverContext } from '../../../src/testing';
import { plugin } from '../../../receivers/generator';
import type { GeneratorConfig } from '../../../receivers/generator/config';

function setup(partial: Record<string, unknown>, signals: ('metrics' | 'events')[] = ['metrics', 'events']) {
  const clock = new FakeClock();
  const output = new CollectingOutput(signals);
  const ctx = receiverContext<GeneratorConfig>({ config: pluginConfig<GeneratorConfig>(plugin, partial), clock, output, kind: 'receiver' });
  const receiver: ReceiverInstance = plugin.create(ctx);
  return { clock, output, ctx, receiver };
}

function metricBatches(output: CollectingOutput): MetricBatch[] {
  return output.sink('metrics').batches as MetricBatch[];
}

describe('generator receiver', () => {
  it('fills in the documented defaults', () => {
    const config = pluginConfig<GeneratorConfig>(plugin, {});
    assert.deepEqual(config, {
      metrics: { enabled: true, series: 100, metric_names: ['nissa_demo_requests', 'nissa_demo_latency_seconds'], kind: 'gauge' },
      events: { enabled: true, per_second: 10 },
      points_per_second: 1000,
      batch_size: 1000,
      interval: '1s',
    });
  });

  it('emits points_per_second in batches of batch_size over the configured series', async () => {
    const { clock, output, ctx, receiver } = setup({ points_per_second: 500, batch_size: 200, metrics: { series: 50 }, events: { enabled: false } });
    await receiver.start!();
    await clock.tick(1000);
    assert.deepEqual(metricBatches(output).map((b) => b.length), [200, 200, 100]);
    await clock.tick(2000, 1000);
    assert.equal(output.sink('metrics').items, 1500);
    const ids = new Set<number>();
    for (const b of metricBatches(output)) for (const id of b.series) ids.add(id);
    assert.equal(ids.size, 50);
    assert.equal(ctx.series.size, 50);
    const names = new Set([...ids].map((id) => ctx.series.info(id).name));
    assert.deepEqual([...names].sort(), ['nissa_demo_latency_seconds', 'nissa_demo_requests']);
    const labels = ctx.series.info(metricBatches(output)[0]!.series[0]!).labels;
    for (const key of ['host', 'region', 'service', 'status']) assert.ok(getLabel(labels, key), `label ${key}`);
    assert.ok(metricBatches(output).every((b) => b.timestamps.every((t) => t > 0)));
    await receiver.shutdown!();
  });

  it('carries fractional rates over to later ticks', async () => {
    const { clock, output, receiver } = setup({ points_per_second: 2.5, metrics: { series: 3 }, events: { enabled: false } });
    await receiver.start!();
    await clock.tick(4000, 1000);
    assert.equal(output.sink('metrics').items, 10);
    await receiver.shutdown!();
  });

  it('gives counters monotonically increasing values with a start time', async () => {
    const { clock, output, receiver } = setup({ points_per_second: 10, metrics: { series: 5, kind: 'counter' }, events: { enabled: false } });
    await receiver.start!();
    await clock.tick(5000, 1000);
    const last = new Map<number, number>();
    for (const b of metricBatches(output)) {
      assert.ok(b.startTimes, 'counters carry a start time');
      for (let i = 0; i < b.length; i++) {
        const before = last.get(b.series[i]!) ?? 0;
        assert.ok(b.values[i]! > before, `series ${b.series[i]} goes from ${before} to ${b.values[i]}`);
        last.set(b.series[i]!, b.values[i]!);
      }
    }
    assert.equal(last.size, 5);
    await receiver.shutdown!();
  });

  it('gives gauges a deterministic wave', async () => {
    const runs = [setup({ points_per_second: 20, metrics: { series: 4 }, events: { enabled: false } }), setup({ points_per_second: 20, metrics: { series: 4 }, events: { enabled: false } })];
    for (const r of runs) {
      await r.receiver.start!();
      await r.clock.tick(3000, 1000);
      await r.receiver.shutdown!();
    }
    const values = runs.map((r) => metricBatches(r.output).flatMap((b) => [...b.values]));
    assert.equal(values[0]!.length, 60);
    assert.deepEqual(values[0], values[1]);
    assert.ok(values[0]!.every((v) => v >= 10 && v <= 90));
    assert.ok(new Set(values[0]).size > 10, 'the wave moves');
  });

  it('emits health events with unique request ids and a per-minute epoch', async () => {
    const { clock, output, receiver } = setup({ metrics: { enabled: false }, events: { per_second: 30 }, batch_size: 25 });
    await receiver.start!();
    await clock.tick(2000, 1000);
    const batches = output.sink('events').batches as EventBatch[];
    assert.deepEqual(batches.map((b) => b.items.length), [25, 5, 25, 5]);
    const events = batches.flatMap((b) => b.items);
    assert.equal(new Set(events.map((e) => e.requestId)).size, 60);
    for (const e of events) {
      assert.equal(e.topic, 'telemetry.seed.health');
      assert.equal(e.epoch, Math.floor(e.timestampMs / 60_000));
      assert.ok(e.eventType.length > 0);
      assert.ok(['INFO', 'WARN', 'ERROR'].includes(e.severityText));
      assert.equal(typeof e.attributes['host'], 'string');
      assert.equal(typeof e.body, 'string');
    }
    assert.equal(output.sink('metrics').items, 0);
    await receiver.shutdown!();
  });

  it('emits only the signals some pipeline takes', async () => {
    const { clock, output, ctx, receiver } = setup({ points_per_second: 10, events: { per_second: 10 } }, ['events']);
    await receiver.start!();
    await clock.tick(1000);
    assert.equal(output.sink('events').items, 10);
    assert.equal(ctx.series.size, 0, 'no series interned when no metrics pipeline exists');
    assert.equal(ctx.telemetry.drops.size, 0);
    await receiver.shutdown!();
  });

  it('backs off on a transient refusal, counts the refused items and logs once a minute', async () => {
    const { clock, output, ctx, receiver } = setup({ points_per_second: 100, batch_size: 40, metrics: { series: 10 }, events: { enabled: false } });
    const sink = output.sink('metrics');
    sink.failWith = new RetryableError('queue full', { retryAfterMs: 5000 });
    await receiver.start!();
    await clock.tick(1000);
    // The first batch is refused and the rest of the tick is not generated.
    assert.equal(ctx.telemetry.drops.get('refused'), 40);
    await clock.tick(4000, 1000);
    assert.equal(ctx.telemetry.drops.get('refused'), 40, 'nothing is sent while paused');
    await clock.tick(60_000, 1000);
    const refusedWhileFailing = ctx.telemetry.drops.get('refused')!;
    assert.ok(refusedWhileFailing > 40 && refusedWhileFailing <= 40 * 13, `refused ${refusedWhileFailing}`);
    const warnings = ctx.logger.lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 2, 'one warning per minute at most');
    assert.ok((warnings[1]!.fields!['suppressed'] as number) > 0);

    sink.failWith = undefined;
    await clock.tick(10_000, 1000);
    assert.ok(sink.items >= 100, `flows again after the pause, got ${sink.items}`);
    assert.equal(ctx.telemetry.drops.get('refused'), refusedWhileFailing);
    await receiver.shutdown!();
  });

  it('sends back to back with points_per_second 0 and stops on shutdown', async () => {
    const { output, receiver } = setup({ points_per_second: 0, batch_size: 100, metrics: { series: 7 }, events: { enabled: false } });
    await receiver.start!();
    await output.sink('metrics').waitFor(1000);
    await receiver.shutdown!();
    const after = output.sink('metrics').items;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(output.sink('metrics').items, after);
  });

  it('pins its series while running and releases them on shutdown', async () => {
    const { clock, ctx, receiver } = setup({ points_per_second: 10, metrics: { series: 8 }, events: { enabled: false } });
    await receiver.start!();
    await clock.tick(1000);
    assert.equal(ctx.series.sweep(Number.MAX_SAFE_INTEGER), 0);
    await receiver.shutdown!();
    assert.equal(ctx.series.sweep(Number.MAX_SAFE_INTEGER), 8);
    assert.equal(clock.pendingTimers, 0);
  });
});
