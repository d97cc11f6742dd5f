import { strict as assert } from 'node:assert';
import { MetricBatchBuilder, PermanentError, RetryableError, eventBatch, seriesTable, MetricKind, NO_LABELS } from '../../src/api';
import type { Batch, MetricBatch } from '../../src/api';
import { startCollector } from '../../src/testing';
import type { Collector } from '../../src/runtime/collector';
import { waitUntil } from '../helpers/wait-until';
import { Journal, fakeRegistry } from './fake-plugins';

function metrics(n: number): MetricBatch {
  const b = new MetricBatchBuilder();
  const id = seriesTable.intern('graph_test_metric', NO_LABELS, MetricKind.GAUGE);
  for (let i = 0; i < n; i++) b.push(id, 1000 + i, i);
  return b.build();
}

const event = { epoch: 1, requestId: 'r1', topic: 't', eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: 1, attributes: {}, body: 'x' };

describe('runtime graph', () => {
  let journal: Journal;
  let collector: Collector | undefined;
  beforeEach(() => {
    journal = new Journal();
  });
  afterEach(async () => {
    await collector?.shutdown();
    collector = undefined;
  });

  const start = async (yaml: string) => {
    collector = await startCollector(yaml, { registry: fakeRegistry(journal) });
    return collector;
  };

  it('fans a receiver out to every pipeline and fans exporters in from several pipelines', async () => {
    await start(`
receivers: { source: {} }
processors: { pass: {} }
exporters: { sink/a: {}, sink/b: {} }
service:
  pipelines:
    metrics/one: { receivers: [source], processors: [pass], exporters: [sink/a] }
    metrics/two: { receivers: [source], processors: [pass], exporters: [sink/a, sink/b] }
`);
    const batch = metrics(3);
    await journal.outputs.get('source')!.consume(batch);
    // one processor instance per pipeline, both saw the same (shared, unmutated) batch
    assert.equal(journal.received.get('pass@metrics/one')!.length, 1);
    assert.equal(journal.received.get('pass@metrics/two')!.length, 1);
    await waitUntil(() => (journal.received.get('sink/a')?.length ?? 0) === 2 && (journal.received.get('sink/b')?.length ?? 0) === 1);
    assert.equal(journal.received.get('sink/a')![0], batch);
  });

  it('routes through connectors between pipelines of different signals only where allowed', async () => {
    await start(`
receivers: { source: {} }
connectors: { link: {} }
exporters: { sink: {} }
service:
  pipelines:
    events/in: { receivers: [source], exporters: [link] }
    events/out: { receivers: [link], exporters: [sink] }
`);
    await journal.outputs.get('source')!.consume(eventBatch([event]));
    await waitUntil(() => (journal.received.get('sink')?.length ?? 0) === 1);
    assert.deepEqual((journal.received.get('sink')![0] as Batch & { items: unknown[] }).items, [event]);
  });

  it('starts downstream first and stops upstream first', async () => {
    const c = await start(`
receivers: { source: {} }
processors: { pass: {} }
connectors: { link: {} }
exporters: { sink: {} }
service:
  pipelines:
    metrics/a: { receivers: [source], processors: [pass], exporters: [link] }
    metrics/b: { receivers: [link], processors: [pass], exporters: [sink] }
`);
    await c.shutdown();
    assert.deepEqual(journal.events, [
      'start sink', 'start pass@metrics/b', 'start link', 'start pass@metrics/a', 'start source',
      'stop source', 'stop pass@metrics/a', 'stop link', 'stop pass@metrics/b', 'stop sink',
    ]);
    await c.shutdown(); // safe twice
    assert.equal(journal.events.filter((e) => e === 'stop sink').length, 1);
  });

  it('turns a refusal into back-pressure at the receiver and opens the breaker after repeated failures', async () => {
    const c = await start(`
receivers: { source: {} }
exporters:
  sink:
    sending_queue: { enabled: false }
    breaker: { failure_threshold: 2, reset_timeout: 1h }
service:
  pipelines:
    metrics: { receivers: [source], exporters: [sink] }
`);
    journal.failing.set('sink', new RetryableError('backend down'));
    const out = journal.outputs.get('source')!;
    await assert.rejects(out.consume(metrics(1)), /backend down/);
    await assert.rejects(out.consume(metrics(1)), /backend down/);
    await assert.rejects(out.consume(metrics(1)), (err: Error & { code?: string }) => err.code === 'ERR_CIRCUIT_OPEN');
    const stats = c.stats.find('sink')!;
    assert.equal(stats.breakerState, 2);
    assert.equal(c.stats.find('source')!.refused, 3);
    // a bad-data refusal does not trip a breaker
    journal.failing.set('sink', new PermanentError('bad'));
    const r = await c.execute({ command: 'reset_breaker', target: 'sink', args: {}, issuedAtMs: 0 });
    assert.ok(r.ok);
    for (let i = 0; i < 3; i++) await assert.rejects(out.consume(metrics(1)), /bad/);
    assert.equal(stats.breakerState, 0);
  });

  it('queues for an exporter, retries transient failures, and drops permanent ones with a reason', async () => {
    const c = await start(`
receivers: { source: {} }
exporters:
  sink:
    sending_queue: { num_consumers: 1 }
    retry_on_failure: { initial_interval: 10ms, max_interval: 20ms }
    # retries, not the breaker, are under test: a slow machine fits more of them in the wait
    breaker: { failure_threshold: 1000 }
service:
  pipelines:
    metrics: { receivers: [source], exporters: [sink] }
`);
    journal.failing.set('sink', new RetryableError('try later'));
    const out = journal.outputs.get('source')!;
    await out.consume(metrics(5)); // accepted into the queue although the backend fails
    await waitUntil(() => c.stats.find('sink')!.sendFailed >= 10); // two failed attempts at least
    journal.failing.delete('sink');
    await waitUntil(() => (journal.received.get('sink')?.length ?? 0) === 1);
    const stats = c.stats.find('sink')!;
    assert.equal(stats.sent, 5);
    assert.ok(stats.sendFailed >= 10);
    journal.failing.set('sink', new PermanentError('no'));
    await out.consume(metrics(2));
    await waitUntil(() => stats.dropped.get('rejected') === 2);
  });

  it('refuses with back-pressure when the sending queue is full (when_full: block)', async () => {
    const c = await start(`
receivers: { source: {} }
exporters:
  sink:
    sending_queue: { queue_size: 1, num_consumers: 1 }
    retry_on_failure: { initial_interval: 1h }
service:
  shutdown_timeout: 200ms
  pipelines:
    metrics: { receivers: [source], exporters: [sink] }
`);
    journal.failing.set('sink', new RetryableError('down'));
    const out = journal.outputs.get('source')!;
    await out.consume(metrics(1));
    await waitUntil(() => c.stats.find('sink')!.sendFailed >= 1); // taken by the worker, retrying
    await out.consume(metrics(1)); // waits in the queue
    await assert.rejects(out.consume(metrics(1)), (err: Error & { code?: string }) => err.code === 'ERR_QUEUE_FULL');
    assert.equal(c.stats.find('sink')!.queueSize(), 1);
  });

  it('answers control commands and reports unsupported ones', async () => {
    const c = await start(`
receivers: { source: {} }
exporters: { sink: {} }
service:
  pipelines:
    metrics: { receivers: [source], exporters: [sink] }
`);
    assert.ok((await c.execute({ command: 'set_mode', target: '', args: { mode: 'emergency' }, issuedAtMs: 0 })).ok);
    assert.equal(c.modes.mode, 'emergency');
    assert.equal((await c.execute({ command: 'set_mode', target: '', args: { mode: 'bogus' }, issuedAtMs: 0 })).ok, false);
    assert.ok((await c.execute({ command: 'flush', target: '', args: {}, issuedAtMs: 0 })).ok);
    assert.match((await c.execute({ command: 'reload', target: '', args: {}, issuedAtMs: 0 })).message, /only supported when the collector runs from a config file/);
    assert.match((await c.execute({ command: 'explode', target: '', args: {}, issuedAtMs: 0 })).message, /unsupported control command/);
  });
});
