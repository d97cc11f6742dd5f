import { strict as assert } from 'node:assert';
import { SeriesTable, alertBatch, eventBatch } from '../../../src/api';
import type { EventBatch, MetricBatch } from '../../../src/api';
import { CollectingOutput, connectorContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../connectors/route';
import { event, metricBatch } from '../../processing/fixtures';
import { DEFAULT_TOPICS } from '../../../src/bus/topics';

/** The design's bus topics, as the bus receiver reads them by default. */
const TOPICS = DEFAULT_TOPICS;

function setup(config: Record<string, unknown>, pipelines: string[]) {
  const output = new CollectingOutput([]);
  for (const p of pipelines) output.addPipeline(p);
  const series = new SeriesTable();
  const router = plugin.create(connectorContext({ id: 'route', output, series, config: pluginConfig(plugin, config) }));
  return { output, series, router };
}

const topicsIn = (output: CollectingOutput, id: string): string[] => output.sink(id).batches.flatMap((b) => (b as EventBatch).items.map((e) => e.topic));

describe('route connector', () => {
  it('routes the bus topics by glob, event type and attribute, with a default', async () => {
    const { output, router } = setup({
      table: [
        { match: { topic: 'telemetry.**' }, pipelines: ['events/telemetry'] },
        { match: { topic: 'control.*.commands' }, pipelines: ['events/control'] },
        { match: { topic: '*.kernel.*' }, pipelines: ['events/kernels'] },
        { match: { event_type: '/state_.*/' }, pipelines: ['events/breakers'] },
        { match: { attributes: { severity: 'critical' } }, pipelines: ['events/pager'] },
      ],
      default_pipelines: ['events/rest'],
    }, ['events/telemetry', 'events/control', 'events/kernels', 'events/breakers', 'events/pager', 'events/rest']);
    await router.start?.();
    const items = TOPICS.map((topic) => event({ topic, eventType: topic.endsWith('state_changed') ? 'state_changed' : 'e', attributes: topic.startsWith('system') ? { severity: 'critical' } : {} }));
    await router.consume(eventBatch(items));
    assert.deepEqual(topicsIn(output, 'events/telemetry'), ['telemetry.seed.health']);
    assert.deepEqual(topicsIn(output, 'events/control'), ['control.kasmina.commands']);
    assert.deepEqual(topicsIn(output, 'events/kernels'), ['compilation.kernel.ready', 'validation.kernel.characterized']);
    assert.deepEqual(topicsIn(output, 'events/breakers'), ['circuit_breaker.state_changed']);
    assert.deepEqual(topicsIn(output, 'events/pager'), ['system.events.epoch']);
    assert.deepEqual(topicsIn(output, 'events/rest'), ['innovation.field_reports', 'morphogenetic.adaptation.triggered']);
  });

  it('sends to every matching route when match_once is false, each pipeline once', async () => {
    const { output, router } = setup({
      match_once: false,
      table: [
        { match: { topic: 'telemetry.**' }, pipelines: ['events/a', 'events/b'] },
        { match: { event_type: 'health' }, pipelines: ['events/b'] },
      ],
    }, ['events/a', 'events/b']);
    await router.consume(eventBatch([event()]));
    assert.equal(output.sink('events/a').items, 1);
    assert.equal(output.sink('events/b').items, 1);
  });

  it('routes metrics by name and labels, passing whole batches through untouched', async () => {
    const { output, series, router } = setup({
      table: [
        { match: { metric_name: 'http_*', labels: { status: '/5../' } }, pipelines: ['metrics/errors'] },
        { match: { labels: { region: 'eu' } }, pipelines: ['metrics/eu'] },
      ],
      default_pipelines: ['metrics'],
    }, ['metrics', 'metrics/errors', 'metrics/eu']);
    await router.start?.();
    const rows = [
      { name: 'http_requests_total', labels: { status: '503', region: 'eu' }, ts: 0, value: 1 },
      { name: 'http_requests_total', labels: { status: '200', region: 'eu' }, ts: 0, value: 2 },
      { name: 'http_requests_total', labels: { status: '200', region: 'us' }, ts: 0, value: 3 },
    ];
    await router.consume(metricBatch(series, rows));
    await router.consume(metricBatch(series, rows)); // cached per series id
    const values = (id: string): number[] => output.sink(id).batches.flatMap((b) => [...(b as MetricBatch).values]);
    assert.deepEqual(values('metrics/errors'), [1, 1]);
    assert.deepEqual(values('metrics/eu'), [2, 2]);
    assert.deepEqual(values('metrics'), [3, 3]);
    const whole = metricBatch(series, [rows[2]!]);
    await router.consume(whole);
    assert.equal(output.sink('metrics').batches.at(-1), whole, 'zero copy when one route takes all');
  });

  it('drops and counts items no route takes when there is no default', async () => {
    const output = new CollectingOutput([]);
    output.addPipeline('alerts/page');
    const ctx = connectorContext({ output, config: pluginConfig(plugin, { table: [{ match: { alert_name: 'Disk*', labels: { severity: 'page' } }, pipelines: ['alerts/page'] }] }) });
    const router = plugin.create(ctx);
    const alert = { alertName: 'DiskFull', state: 'firing' as const, severity: 'page', labels: { severity: 'page' }, annotations: {}, startsAtMs: 0, endsAtMs: 0 };
    await router.consume(alertBatch([alert, { ...alert, alertName: 'CpuHigh' }]));
    assert.equal(output.sink('alerts/page').items, 1);
    assert.equal(ctx.telemetry.drops.get('no_route'), 1);
  });

  it('refuses at start a route to a pipeline it does not feed', async () => {
    const { router } = setup({ table: [{ match: { topic: 'x' }, pipelines: ['events/missing'] }] }, ['events']);
    await assert.rejects(Promise.resolve().then(() => router.start?.()), /events\/missing/);
  });
});
