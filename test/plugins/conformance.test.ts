import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricBatchBuilder, MetricKind, NO_LABELS, alertBatch, controlBatch, eventBatch } from '../../src/api';
import type { Batch, ConsumingInstance, PluginDefinition, ReceiverInstance, SeriesTable, Signal } from '../../src/api';
import { builtinDefinitions } from '../../src/plugins/builtins';
import { CollectingConsumer, CollectingOutput, createTestContext, pluginConfig } from '../../src/testing';

/**
 * Every built-in plugin goes through the contract: create (no I/O), start, consume a batch of each
 * signal it supports, shutdown, shutdown again. Plugins that need a peer to start get a config
 * pointing at a closed port: start must still not throw or hang, and shutdown must still return.
 */
const dir = mkdtempSync(join(tmpdir(), 'nissa-conformance-'));
const REQUIRED: Record<string, Record<string, unknown>> = {
  'exporter:file': { path: join(dir, 'out.jsonl') },
  'exporter:prometheus_remote_write': { endpoint: 'http://127.0.0.1:1/api/v1/write', request_timeout: '200ms' },
  'exporter:bus': { endpoint: '127.0.0.1:1' },
  'exporter:otlp_http': { endpoint: 'http://127.0.0.1:1', request_timeout: '200ms' },
  'receiver:bus': { endpoint: '127.0.0.1:1' },
  'receiver:prometheus': { scrape_configs: [] },
};
/** Exporters whose backend is a closed port: a refusal is the right answer to consume. */
const NO_BACKEND = new Set(['exporter:prometheus_remote_write', 'exporter:bus', 'exporter:otlp_http']);

function sample(signal: Signal, series: SeriesTable): Batch {
  switch (signal) {
    case 'metrics': {
      const b = new MetricBatchBuilder();
      b.push(series.intern('conformance_metric', NO_LABELS, MetricKind.GAUGE), Date.now(), 1);
      return b.build();
    }
    case 'events':
      return eventBatch([{ epoch: 1, requestId: 'r', topic: 't', eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: Date.now(), attributes: {}, body: 'b' }]);
    case 'alerts':
      return alertBatch([{ alertName: 'A', state: 'firing', severity: 'warning', labels: {}, annotations: {}, startsAtMs: Date.now(), endsAtMs: 0 }]);
    case 'control':
      return controlBatch([{ command: 'flush', target: '', args: {}, issuedAtMs: Date.now() }]);
  }
}

function withEphemeralEndpoint(def: PluginDefinition, config: Record<string, unknown>): Record<string, unknown> {
  const props = (def.configSchema['properties'] ?? {}) as Record<string, unknown>;
  return 'endpoint' in props && !('endpoint' in config) ? { ...config, endpoint: '127.0.0.1:0' } : config;
}

describe('plugin conformance (every built-in)', function () {
  this.timeout(20_000);
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const def of builtinDefinitions()) {
    const key = `${def.kind}:${def.type}`;
    it(`${key}: create, start, consume, shutdown twice`, async () => {
      assert.equal(typeof def.description, 'string');
      assert.equal(def.configSchema['type'], 'object');
      const config = pluginConfig(def as never, withEphemeralEndpoint(def, REQUIRED[key] ?? {}));
      const base = createTestContext({ id: def.type, kind: def.kind, config });
      const output = new CollectingOutput();
      const next = new CollectingConsumer();
      let instance: ReceiverInstance & Partial<ConsumingInstance>;
      switch (def.kind) {
        case 'receiver':
          instance = def.create({ ...base, output });
          break;
        case 'connector':
          instance = def.create({ ...base, output });
          break;
        case 'processor':
          instance = def.create({ ...base, pipelineId: 'metrics', signal: 'metrics', next });
          break;
        case 'exporter':
          instance = def.create(base);
          break;
      }
      await instance.start?.();
      // Processors are created for a metrics pipeline here, so they get metrics (if they take them).
      const signals: readonly Signal[] =
        def.kind === 'connector' ? [...new Set(def.signals.map(([from]) => from))]
        : def.kind === 'exporter' ? def.signals
        : def.kind === 'processor' && def.signals.includes('metrics') ? ['metrics']
        : [];
      for (const signal of signals) {
        const consumed = instance.consume!(sample(signal, base.series));
        if (NO_BACKEND.has(key)) await consumed.catch(() => undefined);
        else await consumed;
      }
      await instance.shutdown?.();
      await instance.shutdown?.();
    });
  }
});
