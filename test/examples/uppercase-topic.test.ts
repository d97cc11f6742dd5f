import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { eventBatch, MetricBatchBuilder, type EventBatch, type ProcessorDefinition, type TelemetryEvent } from '../../src/api';
import { Registry } from '../../src/plugins/registry';
import { loadUserPlugins } from '../../src/plugins/load-user-plugins';
import { builtinRegistry } from '../../src/plugins/builtins';
import { CollectingConsumer, pluginConfig, processorContext, startCollector } from '../../src/testing';
import { waitUntil } from '../helpers/wait-until';

/** The compiled examples folder sits where the sources' examples/ would, under the output dir. */
const EXAMPLE_CONFIG = join(__dirname, '..', '..', 'examples', 'pipelines-with-plugin.yaml');

function sourceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

function event(topic: string): TelemetryEvent {
  return { epoch: 1, requestId: topic, topic, eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: 1, attributes: {}, body: null };
}

describe('example plugin: uppercase_topic', () => {
  function loaded(): ProcessorDefinition {
    const registry = new Registry();
    loadUserPlugins(['./plugins/uppercase-topic'], EXAMPLE_CONFIG, registry);
    const def = registry.get('processor', 'uppercase_topic');
    assert.ok(def, 'registered as a processor');
    return def as ProcessorDefinition;
  }

  it('loads through service.plugins into a fresh registry', () => {
    assert.deepEqual(loaded().signals, ['events']);
  });

  it('upper-cases matching topics in a new batch and leaves the original alone', async () => {
    const def = loaded();
    const next = new CollectingConsumer();
    const instance = def.create(processorContext({ config: pluginConfig(def, { prefix: 'telemetry.' }), signal: 'events', next }));
    const input = eventBatch([event('telemetry.seed.health'), event('billing.invoice'), event('Telemetry.x')]);
    await instance.consume(input);
    assert.deepEqual((next.batches[0] as EventBatch).items.map((e) => e.topic), ['TELEMETRY.SEED.HEALTH', 'billing.invoice', 'TELEMETRY.X']);
    assert.deepEqual(input.items.map((e) => e.topic), ['telemetry.seed.health', 'billing.invoice', 'Telemetry.x']);
  });

  it('passes batches it does not change through as they are', async () => {
    const def = loaded();
    const next = new CollectingConsumer();
    const instance = def.create(processorContext({ config: pluginConfig(def, {}), signal: 'events', next }));
    const same = eventBatch([event('ALREADY.UPPER')]);
    const metrics = new MetricBatchBuilder(1).build();
    await instance.consume(same);
    await instance.consume(metrics);
    assert.equal(next.batches[0], same);
    assert.equal(next.batches[1], metrics);
  });

  it('runs in a collector from examples/pipelines-with-plugin.yaml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nissa-example-'));
    try {
      const doc = parseDocument(await readFile(join(sourceRoot(), 'examples', 'pipelines-with-plugin.yaml'), 'utf8'));
      assert.deepEqual((doc.toJS() as { service: { plugins: string[] } }).service.plugins, ['./plugins/uppercase-topic']);
      const out = join(dir, 'events.jsonl');
      doc.setIn(['exporters', 'file', 'path'], out);
      doc.setIn(['receivers', 'generator', 'events', 'per_second'], 200);
      doc.setIn(['receivers', 'generator', 'interval'], '50ms');
      const collector = await startCollector(doc.toString(), { file: EXAMPLE_CONFIG, registry: builtinRegistry() });
      // One 50 ms tick at 200 events/s is 10 events: wait for them rather than for a fixed time.
      await waitUntil(() => collector.stats.find('file')!.accepted >= 10, 'one generator tick at the file exporter');
      await collector.shutdown();
      const lines = (await readFile(out, 'utf8')).split('\n').filter((l) => l !== '');
      assert.ok(lines.length >= 10, `got ${lines.length} events`);
      for (const line of lines) assert.equal(JSON.parse(line).topic, 'TELEMETRY.SEED.HEALTH');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
