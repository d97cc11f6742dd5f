import { strict as assert } from 'node:assert';
import { RetryableError, STALE_NAN, SeriesTable, eventBatch } from '../../../src/api';
import type { EventBatch, MetricBatch } from '../../../src/api';
import { CollectingConsumer, CollectingOutput, FakeClock, connectorContext, pluginConfig, processorContext } from '../../../src/testing';
import { plugin as route } from '../../../connectors/route';
import { plugin } from '../../../processors/validate';
import { describeRows, event, metricBatch } from '../../processing/fixtures';

function setup(config: Record<string, unknown> = {}, signal: 'metrics' | 'events' = 'metrics', id = 'validate') {
  const clock = new FakeClock();
  const series = new SeriesTable();
  series.setNow(clock.now());
  const next = new CollectingConsumer();
  const ctx = processorContext({ id, config: pluginConfig(plugin, config), clock, series, next, signal });
  return { clock, series, next, ctx, proc: plugin.create(ctx) };
}

describe('validate processor', () => {
  it('passes an all-valid batch through untouched', async () => {
    const { series, next, proc, clock } = setup();
    const batch = metricBatch(series, [{ name: 'up', labels: { job: 'a' }, ts: clock.now(), value: 1 }, { name: 'up', ts: clock.now(), value: STALE_NAN }]);
    await proc.consume(batch);
    assert.equal(next.batches[0], batch);
  });

  it('drops the invalid half of a batch, counted by reason, and sends the valid half on', async () => {
    const { series, next, proc, clock, ctx } = setup({ max_labels: 3, max_label_value_length: 8 });
    const now = clock.now();
    const batch = metricBatch(series, [
      { name: 'ok_1', ts: now, value: 1 },
      { name: 'bad.name', ts: now, value: 1 },
      { name: 'ok_2', labels: { a: '1' }, ts: now - 60_000, value: 2 },
      { name: 'm', labels: { 'bad-label': 'x' }, ts: now, value: 1 },
      { name: 'ok_3', ts: now + 60_000, value: STALE_NAN },
      { name: 'm', labels: { a: '1', b: '2', c: '3', d: '4' }, ts: now, value: 1 },
      { name: 'ok_4', labels: { a: '12345678' }, ts: now, value: -0 },
      { name: 'm', labels: { a: '123456789' }, ts: now, value: 1 },
      { name: 'ok_5', ts: now, value: 1e300 },
      { name: 'm', ts: now, value: NaN },
      { name: 'ok_6', ts: now, value: 0 },
      { name: 'm', ts: now, value: Infinity },
      { name: 'ok_7', ts: now, value: 0 },
      { name: 'm', ts: now - 3 * 3_600_000, value: 1 },
      { name: 'ok_8', ts: now, value: 0 },
      { name: 'm', ts: now + 3_600_000, value: 1 },
    ]);
    await proc.consume(batch);
    const out = next.batches[0] as MetricBatch;
    assert.deepEqual(describeRows(series, out).map((r) => r.split('{')[0]), ['ok_1', 'ok_2', 'ok_3', 'ok_4', 'ok_5', 'ok_6', 'ok_7', 'ok_8']);
    assert.deepEqual(Object.fromEntries(ctx.telemetry.drops), {
      invalid_metric_name: 1,
      invalid_label_name: 1,
      too_many_labels: 1,
      label_value_too_long: 1,
      non_finite_value: 2,
      too_old: 1,
      too_far_in_future: 1,
    });
    assert.equal(batch.length, 16, 'the received batch is not mutated');
  });

  it('re-checks a series whose id was freed and reused (generation)', async () => {
    const { series, next, proc, clock, ctx } = setup();
    const bad = metricBatch(series, [{ name: 'bad.name', ts: clock.now(), value: 1 }]);
    await proc.consume(bad);
    series.setNow(clock.now() + 10_000);
    assert.equal(series.sweep(clock.now() + 5_000), 1);
    const good = metricBatch(series, [{ name: 'good', ts: clock.now(), value: 1 }]);
    assert.equal(good.series[0], bad.series[0], 'the id was reused');
    await proc.consume(good);
    assert.equal(next.items, 1);
    assert.equal(ctx.telemetry.drops.get('invalid_metric_name'), 1);
  });

  it('accepts UTF-8 names when configured and infinities when allowed', async () => {
    const { series, next, proc, clock } = setup({ metric_name_pattern: '.+', allow_infinity: true, max_age: 0, max_future: 0 });
    await proc.consume(metricBatch(series, [{ name: 'http.server.duration', ts: 0, value: Infinity }]));
    assert.equal(next.items, 1);
    assert.ok(clock.now() > 0);
  });

  it('requires epoch, request_id and topic on events', async () => {
    const { next, proc, ctx } = setup({}, 'events');
    await proc.consume(eventBatch([event(), event({ epoch: NaN }), event({ requestId: '' }), event({ topic: '' }), event({ requestId: 'r2' })]));
    assert.deepEqual((next.batches[0] as EventBatch).items.map((e) => e.requestId), ['req-1', 'r2']);
    assert.deepEqual(Object.fromEntries(ctx.telemetry.drops), { missing_epoch: 1, missing_request_id: 1, missing_topic: 1 });
  });

  it('checks only the configured event fields and the topic pattern', async () => {
    const { next, proc, ctx } = setup({ required_event_fields: ['topic'], topic_pattern: '^telemetry\\.' }, 'events');
    await proc.consume(eventBatch([event({ requestId: '' }), event({ topic: 'control.kasmina.commands' })]));
    assert.equal(next.items, 1);
    assert.deepEqual(Object.fromEntries(ctx.telemetry.drops), { invalid_topic: 1 });
  });

  it('counts an invalid item once when downstream refuses the valid ones and the batch comes again', async () => {
    const { next, proc, ctx } = setup({}, 'events');
    const batch = eventBatch([event({ requestId: 'ok' }), event({ requestId: '' })]);
    next.failWith = new RetryableError('busy');
    await assert.rejects(proc.consume(batch));
    await assert.rejects(proc.consume(batch));
    next.failWith = undefined;
    await proc.consume(batch);
    assert.equal(next.items, 1);
    assert.deepEqual(Object.fromEntries(ctx.telemetry.drops), { missing_request_id: 1 });
  });

  it('judges an event without a topic by required_event_fields alone, not by the topic pattern', async () => {
    const { next, proc, ctx } = setup({ required_event_fields: [], topic_pattern: '^[a-z]+$' }, 'events');
    const noTopic = { ...event({ requestId: 'r1' }), topic: undefined } as unknown as ReturnType<typeof event>;
    await proc.consume(eventBatch([noTopic, event({ requestId: 'r2', topic: '' }), event({ requestId: 'r3', topic: 'Bad.Topic' })]));
    assert.deepEqual((next.batches[0] as EventBatch).items.map((e) => e.requestId), ['r1', 'r2']);
    assert.deepEqual(Object.fromEntries(ctx.telemetry.drops), { invalid_topic: 1 });
  });

  it('sends invalid items to a dead-letter pipeline through the route connector', async () => {
    const { next, proc, ctx } = setup({ on_invalid: 'dead_letter' }, 'events', 'validate/strict');
    const output = new CollectingOutput(['events']);
    const dead = output.addPipeline('events/dead');
    const router = route.create(connectorContext({ id: 'route/dlq', output, config: pluginConfig(route, { dead_letter_from: ['validate/strict'], default_pipelines: ['events/dead'] }) }));
    await router.start?.();
    try {
      await proc.consume(eventBatch([event(), event({ requestId: '' }), event({ requestId: 'r3' })]));
      assert.equal(next.items, 2, 'valid items go on');
      assert.deepEqual((dead.batches[0] as EventBatch).items.map((e) => e.requestId), ['']);
      assert.equal(ctx.telemetry.drops.get('dead_lettered'), 1);
    } finally {
      await router.shutdown?.();
    }
  });

  it('counts dead letters nobody takes as dropped', async () => {
    const { next, proc, ctx } = setup({ on_invalid: 'dead_letter', dead_letter_channel: 'nobody' }, 'events');
    await proc.consume(eventBatch([event({ topic: '' }), event()]));
    assert.equal(next.items, 1);
    assert.equal(ctx.telemetry.drops.get('dead_letter_unavailable'), 1);
  });
});
