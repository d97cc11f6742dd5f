import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConnector, defineExporter, defineProcessor, defineReceiver, durationSchema, type JsonSchema } from '../../src/api';
import { Registry } from '../../src/plugins/registry';

/** An object schema with `additionalProperties: false`, as every plugin writes it. */
function schema(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required };
}

const noop = { consume: async (): Promise<void> => undefined };

/**
 * A registry of tiny fake plugins, independent of the built-ins: the config tests check the
 * loader, not the plugins.
 */
export function fakeRegistry(): Registry {
  const registry = new Registry();
  registry.register(defineReceiver({
    type: 'otlp', description: 'fake', signals: ['metrics', 'events'],
    configSchema: schema({ endpoint: { type: 'string', default: '127.0.0.1:4318', description: 'listen address' } }),
    create: () => ({}),
  }));
  registry.register(defineReceiver({
    type: 'prometheus', description: 'fake', signals: ['metrics'],
    configSchema: schema({ scrape_interval: durationSchema('15s', 'interval'), port: { type: 'integer', default: 9090, description: 'port' } }),
    create: () => ({}),
  }));
  registry.register(defineReceiver({
    type: 'webhook', description: 'fake', signals: ['alerts', 'events'], configSchema: schema({}), create: () => ({}),
  }));
  registry.register(defineProcessor({
    type: 'batch', description: 'fake', signals: ['metrics', 'events', 'alerts', 'control'],
    configSchema: schema({
      send_batch_size: { type: 'integer', minimum: 1, default: 8192, description: 'items per batch' },
      timeout: durationSchema('200ms', 'flush after'),
    }),
    create: () => noop,
  }));
  registry.register(defineProcessor({
    type: 'cardinality', description: 'fake', signals: ['metrics'],
    configSchema: schema({
      max_series: { type: 'integer', minimum: 1, default: 100000, description: 'limit' },
      action: { enum: ['drop', 'aggregate'], default: 'drop', description: 'over the limit' },
    }),
    create: () => noop,
  }));
  registry.register(defineExporter({
    type: 'debug', description: 'fake', signals: ['metrics', 'events', 'alerts', 'control'],
    configSchema: schema({ verbosity: { enum: ['basic', 'detailed'], default: 'basic', description: 'detail' } }),
    create: () => noop,
  }));
  registry.register(defineExporter({
    type: 'remote_write', description: 'fake', signals: ['metrics'],
    configSchema: schema({ endpoint: { type: 'string', description: 'url' }, headers: { type: 'object', default: {}, description: 'headers' } }, ['endpoint']),
    create: () => noop,
  }));
  registry.register(defineConnector({
    type: 'count', description: 'fake', signals: [['events', 'metrics']], configSchema: schema({}), create: () => noop,
  }));
  registry.register(defineConnector({
    type: 'forward', description: 'fake', signals: [['metrics', 'metrics'], ['events', 'events']], configSchema: schema({}), create: () => noop,
  }));
  return registry;
}

/** test/fixtures/config in the source tree (fixtures are not compiled), found from the compiled test. */
export function fixturesDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'config');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('test/fixtures/config not found above ' + __dirname);
}

/** A one-pipeline config: receiver `otlp`, `processorsYaml` as the processors section body, exporter `debug`. */
export function onePipeline(processorsYaml: string, processors: readonly string[]): string {
  return [
    'receivers:', '  otlp:', 'processors:', processorsYaml, 'exporters:', '  debug:',
    'service:', '  pipelines:', '    metrics:', '      receivers: [otlp]', `      processors: [${processors.join(', ')}]`, '      exporters: [debug]', '',
  ].join('\n');
}
