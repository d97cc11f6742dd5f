import { strict as assert } from 'node:assert';
import { hostname } from 'node:os';
import { SeriesTable, alertBatch, eventBatch, labelsToRecord } from '../../../src/api';
import type { AlertBatch, EventBatch, MetricBatch } from '../../../src/api';
import { CollectingConsumer, FakeClock, pluginConfig, processorContext } from '../../../src/testing';
import { plugin } from '../../../processors/enrich';
import { event, metricBatch } from '../../processing/fixtures';

function setup(config: Record<string, unknown>, signal: 'metrics' | 'events' | 'alerts' = 'metrics') {
  const clock = new FakeClock();
  const series = new SeriesTable();
  const next = new CollectingConsumer();
  const ctx = processorContext({ config: pluginConfig(plugin, config), clock, series, next, signal });
  return { clock, series, next, ctx, proc: plugin.create(ctx) };
}

function labelsOf(series: SeriesTable, b: MetricBatch, i = 0): Record<string, string> {
  return labelsToRecord(series.info(b.series[i]!).labels);
}

describe('enrich processor', () => {
  it('applies insert, update, upsert, delete, rename and copy in order on metric labels', async () => {
    const { series, next, proc } = setup({
      actions: [
        { key: 'env', action: 'insert', value: 'prod' },
        { key: 'region', action: 'insert', value: 'never' },
        { key: 'status', action: 'update', value: '5xx' },
        { key: 'missing', action: 'update', value: 'x' },
        { key: 'team', action: 'upsert', value: 'core' },
        { key: 'secret', action: 'delete' },
        { key: 'host', action: 'rename', new_key: 'instance' },
        { key: 'region', action: 'copy', new_key: 'zone' },
      ],
    });
    const input = metricBatch(series, [{ name: 'm', labels: { region: 'eu', status: '500', secret: 's', host: 'h1', team: 'old' }, ts: 0, value: 1 }]);
    await proc.consume(input);
    const out = next.batches[0] as MetricBatch;
    assert.deepEqual(labelsOf(series, out), { env: 'prod', region: 'eu', status: '5xx', team: 'core', instance: 'h1', zone: 'eu' });
    assert.deepEqual(labelsOf(series, input), { region: 'eu', status: '500', secret: 's', host: 'h1', team: 'old' }, 'the input series is untouched');
    assert.equal(out.values, input.values, 'other columns are shared, not copied');
  });

  it('takes values from env, host facts, another label and a regex capture', async () => {
    process.env.NISSA_ENRICH_TEST = 'blue';
    try {
      const { series, next, proc } = setup({
        actions: [
          { key: 'color', action: 'upsert', from_env: 'NISSA_ENRICH_TEST' },
          { key: 'nope', action: 'upsert', from_env: 'NISSA_ENRICH_UNSET' },
          { key: 'host', action: 'upsert', from_host: 'hostname' },
          { key: 'pid', action: 'upsert', from_host: 'pid' },
          { key: 'platform', action: 'upsert', from_host: 'platform' },
          { key: 'svc', action: 'upsert', from_label: 'job' },
          { key: 'api', action: 'upsert', from_label: 'path', pattern: '^/api/(\\w+)/' },
          { key: 'none', action: 'upsert', from_label: 'path', pattern: '^/nomatch' },
        ],
      });
      await proc.consume(metricBatch(series, [{ name: 'm', labels: { job: 'checkout', path: '/api/orders/1' }, ts: 0, value: 1 }]));
      assert.deepEqual(labelsOf(series, next.batches[0] as MetricBatch), {
        color: 'blue', host: hostname(), pid: String(process.pid), platform: process.platform, svc: 'checkout', job: 'checkout', path: '/api/orders/1', api: 'orders',
      });
    } finally {
      delete process.env.NISSA_ENRICH_TEST;
    }
  });

  it('caches old -> new series ids and passes unchanged batches through', async () => {
    const { series, next, proc } = setup({ actions: [{ key: 'env', action: 'insert', value: 'prod' }] });
    const a = metricBatch(series, [{ name: 'm', labels: { env: 'dev' }, ts: 0, value: 1 }]);
    await proc.consume(a);
    assert.equal(next.batches[0], a, 'insert on a present label changes nothing: zero copy');
    const b = metricBatch(series, [{ name: 'm', ts: 0, value: 1 }, { name: 'm', ts: 1, value: 2 }]);
    const before = series.size;
    await proc.consume(b);
    await proc.consume(b);
    assert.equal(series.size, before + 1, 'the new series is interned once');
    const out = next.batches[1] as MetricBatch;
    assert.equal(out.series[0], out.series[1]);
    assert.notEqual(out.series[0], b.series[0]);
  });

  it('edits event attributes, keeps literal types, and promotes resource attributes', async () => {
    const { next, proc } = setup({
      actions: [{ key: 'retries', action: 'insert', value: 3 }, { key: 'user', action: 'delete', pattern: '^user\\.' }],
      promote_resource_attributes: ['service.*'],
    }, 'events');
    const unchanged = event({ attributes: { retries: 1 } });
    const input = eventBatch([
      event({ attributes: { 'user.id': 'u1', 'user.email': 'e', keep: true }, resource: { 'service.name': 'kasmina', 'host.name': 'h' } }),
      unchanged,
    ]);
    await proc.consume(input);
    const out = next.batches[0] as EventBatch;
    assert.deepEqual(out.items[0]!.attributes, { keep: true, 'service.name': 'kasmina', retries: 3 });
    assert.equal(out.items[1], unchanged, 'unchanged events are shared');
    assert.deepEqual(input.items[0]!.attributes, { 'user.id': 'u1', 'user.email': 'e', keep: true });
  });

  it('promotes prefixed resource labels of metrics (the OTLP receiver prefix)', async () => {
    const { series, next, proc } = setup({ promote_resource_attributes: ['k8s.*'], resource_label_prefix: 'resource_' });
    await proc.consume(metricBatch(series, [{ name: 'm', labels: { 'resource_k8s.pod.name': 'p1', resource_other: 'x' }, ts: 0, value: 1 }]));
    assert.deepEqual(labelsOf(series, next.batches[0] as MetricBatch), { 'k8s.pod.name': 'p1', resource_other: 'x' });
  });

  it('edits alert labels', async () => {
    const { next, proc } = setup({ actions: [{ key: 'cluster', action: 'upsert', value: 'c1' }] }, 'alerts');
    await proc.consume(alertBatch([{ alertName: 'A', state: 'firing', severity: 'page', labels: {}, annotations: {}, startsAtMs: 0, endsAtMs: 0 }]));
    assert.deepEqual((next.batches[0] as AlertBatch).items[0]!.labels, { cluster: 'c1' });
  });

  it('refuses incoherent actions at create', () => {
    assert.throws(() => setup({ actions: [{ key: 'a', action: 'upsert' }] }), /exactly one of/);
    assert.throws(() => setup({ actions: [{ key: 'a', action: 'rename' }] }), /new_key/);
  });
});
