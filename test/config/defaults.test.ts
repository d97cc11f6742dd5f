import { strict as assert } from 'node:assert';
import { loadConfigText, type NissaConfig } from '../../src/config';
import { fakeRegistry, onePipeline } from './fake-registry';

function load(text: string): NissaConfig {
  const result = loadConfigText(text, 'defaults.yaml', { registry: fakeRegistry(), env: {} });
  assert.deepEqual(result.errors, []);
  return result.config!;
}

const MINIMAL = onePipeline('  batch:', ['batch']);

describe('config: defaults', () => {
  it('fills plugin defaults, also for a component written with no body', () => {
    const config = load(MINIMAL);
    assert.deepEqual(config.receivers.get('otlp')!.config, { endpoint: '127.0.0.1:4318' });
    assert.deepEqual(config.processors.get('batch')!.config, { send_batch_size: 8192, timeout: '200ms' });
    assert.deepEqual(config.exporters.get('debug')!.config, { verbosity: 'basic' });
  });

  it('fills the service defaults, durations in milliseconds', () => {
    const { service } = load(MINIMAL);
    assert.deepEqual(service.breaker, { failure_threshold: 5, reset_timeout_ms: 30_000, half_open_max_calls: 1 });
    assert.equal(service.shutdown_timeout_ms, 30_000);
    assert.equal(service.series_ttl_ms, 3_600_000);
    assert.deepEqual(service.telemetry, { logs: { level: 'info' }, metrics: { endpoint: '127.0.0.1:8888' } });
    assert.deepEqual(service.plugins, []);
    assert.deepEqual(service.pipelines.map((p) => [p.id, p.signal, p.receivers, p.processors, p.exporters]), [
      ['metrics', 'metrics', ['otlp'], ['batch'], ['debug']],
    ]);
    assert.deepEqual(service.pipelines[0]!.location, { file: 'defaults.yaml', line: 9, column: 5 });
  });

  it('fills the exporter helper defaults like the OpenTelemetry Collector', () => {
    const debug = load(MINIMAL).exporters.get('debug')!;
    assert.deepEqual(debug.exporter, {
      timeout_ms: 5000,
      sending_queue: { enabled: true, queue_size: 1000, num_consumers: 10, when_full: 'block', merge_max_items: 0 },
      retry_on_failure: {
        enabled: true, initial_interval_ms: 5000, max_interval_ms: 30_000, max_elapsed_time_ms: 300_000, multiplier: 1.5, randomization_factor: 0.5,
      },
    });
    assert.equal(load(MINIMAL).receivers.get('otlp')!.exporter, undefined);
  });

  it('merges a component breaker over service.breaker, key by key', () => {
    const config = load(`
receivers:
  otlp:
    breaker:
      failure_threshold: 2
processors:
  batch:
    breaker:
      reset_timeout: 5s
      half_open_max_calls: 3
exporters:
  debug:
service:
  breaker:
    failure_threshold: 10
    reset_timeout: 1m
  pipelines:
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
`);
    assert.deepEqual(config.receivers.get('otlp')!.breaker, { failure_threshold: 2, reset_timeout_ms: 60_000, half_open_max_calls: 1 });
    assert.deepEqual(config.processors.get('batch')!.breaker, { failure_threshold: 10, reset_timeout_ms: 5000, half_open_max_calls: 3 });
    assert.deepEqual(config.exporters.get('debug')!.breaker, { failure_threshold: 10, reset_timeout_ms: 60_000, half_open_max_calls: 1 });
    // Runtime keys never reach the plugin.
    assert.deepEqual(config.receivers.get('otlp')!.config, { endpoint: '127.0.0.1:4318' });
  });

  it('keeps telemetry.metrics.endpoint: null (self-telemetry off)', () => {
    const config = load(MINIMAL.replace('service:\n', 'service:\n  telemetry:\n    metrics:\n      endpoint: null\n    logs:\n      level: debug\n'));
    assert.deepEqual(config.service.telemetry, { logs: { level: 'debug' }, metrics: { endpoint: null } });
  });
});
