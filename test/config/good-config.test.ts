import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { formatDiagnostics, loadConfig, validateCommand } from '../../src/config';
import { fakeRegistry, fixturesDir } from './fake-registry';

describe('config: a good config', () => {
  const file = join(fixturesDir(), 'good', 'pipelines.yaml');

  it('passes, with a warning for each unused component', () => {
    const result = loadConfig(file, { registry: fakeRegistry(), env: {} });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(formatDiagnostics(result), [
      `${file}:29:3: warning: exporters.debug/unused: exporter "debug/unused" is defined but not used in any pipeline`,
    ]);
    const config = result.config!;
    assert.equal(config.file, file);
    assert.deepEqual([...config.receivers.keys()], ['otlp', 'prometheus/scrape', 'webhook']);
    assert.deepEqual([...config.processors.keys()], ['batch', 'batch/fast', 'double']);
    assert.deepEqual([...config.connectors.keys()], ['count']);
    assert.deepEqual(config.service.pipelines.map((p) => p.id), ['metrics', 'events']);
    assert.deepEqual(config.service.plugins, ['../plugins/double.js']);
  });

  it('gives each component its id, type, kind, location and converted runtime keys', () => {
    const config = loadConfig(file, { registry: fakeRegistry(), env: {} }).config!;
    const scrape = config.receivers.get('prometheus/scrape')!;
    assert.equal(scrape.type, 'prometheus');
    assert.equal(scrape.kind, 'receiver');
    assert.deepEqual(scrape.location, { file, line: 5, column: 3 });
    assert.deepEqual(scrape.config, { scrape_interval: '30s', port: 9090 });
    assert.deepEqual(config.processors.get('double')!.config, { factor: 3 });
    const rw = config.exporters.get('remote_write')!;
    assert.equal(rw.exporter!.timeout_ms, 10_000);
    assert.deepEqual(rw.exporter!.sending_queue, { enabled: true, queue_size: 50, num_consumers: 10, when_full: 'drop_oldest', merge_max_items: 0 });
    assert.equal(rw.exporter!.retry_on_failure.max_elapsed_time_ms, 0);
    assert.deepEqual(config.exporters.get('debug')!.breaker, { failure_threshold: 2, reset_timeout_ms: 60_000, half_open_max_calls: 1 });
    assert.equal(config.connectors.get('count')!.exporter, undefined);
  });

  it('validateCommand prints warnings and exits 0 when valid, 1 with every error otherwise', () => {
    const ok = validateCommand(file, fakeRegistry());
    assert.equal(ok.exitCode, 0);
    assert.deepEqual(ok.text.split('\n'), [
      `${file}:29:3: warning: exporters.debug/unused: exporter "debug/unused" is defined but not used in any pipeline`,
      `${file}: valid (1 warning)`,
    ]);
    const badFile = join(fixturesDir(), 'bad', 'wrong-type.yaml');
    const bad = validateCommand(badFile, fakeRegistry());
    assert.equal(bad.exitCode, 1);
    assert.deepEqual(bad.text.split('\n'), [
      `${badFile}:5:5: processors.batch.send_batch_size: must be >= 1`,
      `${badFile}:7:5: processors.cardinality.max_series: must be integer`,
      `${badFile}: invalid (2 errors, 0 warnings)`,
    ]);
  });
});
