import { defineConnector, defineExporter, defineProcessor, defineReceiver } from '../../src/api';
import type { Batch, Output, Signal } from '../../src/api';
import { Registry } from '../../src/plugins/registry';

/** What the fake plugins record: lifecycle calls in order, and every batch each instance saw. */
export class Journal {
  readonly events: string[] = [];
  readonly received = new Map<string, Batch[]>();
  readonly outputs = new Map<string, Output>();
  /** Exporter ids that refuse with this error while set. */
  readonly failing = new Map<string, Error>();

  record(key: string, batch: Batch): void {
    this.received.set(key, [...(this.received.get(key) ?? []), batch]);
  }
}

const ALL: Signal[] = ['metrics', 'events', 'alerts', 'control'];
const EMPTY_SCHEMA = { type: 'object', additionalProperties: false, properties: {} };

/** An isolated registry with a manual source, a pass-through processor, a recording exporter and a forward-like connector. */
export function fakeRegistry(journal: Journal): Registry {
  const registry = new Registry();
  registry.register(defineReceiver({
    type: 'source', description: 'test source', signals: ALL, configSchema: EMPTY_SCHEMA,
    create(ctx) {
      journal.outputs.set(ctx.id, ctx.output);
      return { start: () => void journal.events.push(`start ${ctx.id}`), shutdown: () => void journal.events.push(`stop ${ctx.id}`) };
    },
  }));
  registry.register(defineProcessor({
    type: 'pass', description: 'test pass-through', signals: ALL, configSchema: EMPTY_SCHEMA,
    create(ctx) {
      const key = `${ctx.id}@${ctx.pipelineId}`;
      return {
        start: () => void journal.events.push(`start ${key}`),
        shutdown: () => void journal.events.push(`stop ${key}`),
        consume: (batch) => {
          journal.record(key, batch);
          return ctx.next.consume(batch);
        },
      };
    },
  }));
  registry.register(defineExporter({
    type: 'sink', description: 'test sink', signals: ALL, configSchema: EMPTY_SCHEMA,
    create(ctx) {
      return {
        start: () => void journal.events.push(`start ${ctx.id}`),
        shutdown: () => void journal.events.push(`stop ${ctx.id}`),
        consume: async (batch) => {
          const err = journal.failing.get(ctx.id);
          if (err) throw err;
          journal.record(ctx.id, batch);
        },
      };
    },
  }));
  registry.register(defineConnector({
    type: 'link', description: 'test connector', signals: ALL.map((s) => [s, s] as const), configSchema: EMPTY_SCHEMA,
    create(ctx) {
      return {
        start: () => void journal.events.push(`start ${ctx.id}`),
        shutdown: () => void journal.events.push(`stop ${ctx.id}`),
        consume: (batch) => ctx.output.consume(batch),
      };
    },
  }));
  return registry;
}
