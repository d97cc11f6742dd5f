import { strict as assert } from 'node:assert';
import { MetricBatchBuilder, MetricKind, NO_LABELS, RetryableError, seriesTable } from '../../src/api';
import type { EventBatch } from '../../src/api';
import { startCollector } from '../../src/testing';
import type { Collector } from '../../src/runtime/collector';
import { waitUntil } from '../helpers/wait-until';
import { Journal, fakeRegistry } from './fake-plugins';
import { builtinDefinitions } from '../../src/plugins/builtins';

describe('self-telemetry, health and internal events', () => {
  let collector: Collector | undefined;
  afterEach(async () => {
    await collector?.shutdown();
    collector = undefined;
  });

  it('serves per-stage counters, breaker states and memory at /metrics, and /healthz, /readyz', async () => {
    const journal = new Journal();
    const registry = fakeRegistry(journal);
    for (const def of builtinDefinitions()) if (def.type === 'internal_events') registry.register(def);
    collector = await startCollector(`
receivers: { source: {}, internal_events: {} }
exporters:
  sink:
    sending_queue: { enabled: false }
    breaker: { failure_threshold: 1, reset_timeout: 1h }
  sink/events: {}
service:
  pipelines:
    metrics: { receivers: [source], exporters: [sink] }
    events: { receivers: [internal_events], exporters: [sink/events] }
`, { registry, telemetryEndpoint: '127.0.0.1:0' });
    const base = `http://${collector.telemetryAddress()}`;
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);

    const onePoint = () => {
      const b = new MetricBatchBuilder();
      b.push(seriesTable.intern('telemetry_test', NO_LABELS, MetricKind.GAUGE), 1, 1);
      return b.build();
    };
    const out = journal.outputs.get('source')!;
    await out.consume(onePoint());
    journal.failing.set('sink', new RetryableError('down'));
    await assert.rejects(out.consume(onePoint()));

    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(await ready.text(), /breaker open: sink/);
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /nissa_receiver_accepted_items_total\{receiver="source"\} 1/);
    assert.match(text, /nissa_receiver_refused_items_total\{receiver="source"\} 1/);
    assert.match(text, /nissa_exporter_sent_items_total\{exporter="sink"\} 1/);
    assert.match(text, /nissa_breaker_state\{exporter="sink"\} 2/);
    assert.match(text, /nissa_breaker_transitions_total\{component="sink",to="open"\} 1/);
    assert.match(text, /nissa_process_memory_bytes\{type="heap_used"\} \d+/);
    assert.match(text, /nissa_exporter_queue_capacity\{exporter="sink\/events"\} \d+/);
    assert.match(text, /nissa_receiver_batch_size_items_bucket/);

    // the breaker transition became an event in the events pipeline (through its sending queue:
    // wait for that event itself, not for the first batch, which may carry another internal event)
    const breakerEvent = () => (journal.received.get('sink/events') ?? [])
      .flatMap((batch) => (batch as EventBatch).items)
      .find((e) => e.topic === 'circuit_breaker.state_changed');
    await waitUntil(() => breakerEvent() !== undefined, 'the breaker event in sink/events');
    const change = breakerEvent();
    assert.ok(change, 'breaker event exported');
    assert.equal(change.attributes['component'], 'sink');
    assert.equal(change.attributes['to'], 'open');
  });
});
