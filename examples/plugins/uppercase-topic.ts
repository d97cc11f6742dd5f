/**
 * An example user plugin: a processor that upper-cases the topic of events, e.g. to normalise
 * topics from producers that disagree on case. It imports only the public API (inside this repo
 * `../../src/api`; in your own project the package `nissa`).
 */
import { defineProcessor, eventBatch, type Batch, type JsonSchema, type TelemetryEvent } from '../../src/api';

/** The typed config: keys exactly as written in YAML, every field present (defaults applied). */
export interface UppercaseTopicConfig {
  readonly prefix: string;
}

const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    prefix: { type: 'string', default: '', description: 'Only topics starting with this prefix (any case) are changed; empty means all.' },
  },
};

export const uppercaseTopic = defineProcessor<UppercaseTopicConfig>({
  type: 'uppercase_topic',
  description: 'Upper-cases the topic of events (an example plugin).',
  signals: ['events'],
  configSchema,
  // create() does no I/O: it reads the config once and returns the instance.
  create(ctx) {
    const prefix = ctx.config.prefix.toLowerCase();
    const matches = (topic: string): boolean => topic.toLowerCase().startsWith(prefix);
    return {
      consume(batch: Batch): Promise<void> {
        if (batch.signal !== 'events') return ctx.next.consume(batch);
        // Batches are shared with other pipelines: never change one, build a new one instead.
        let changed = 0;
        const items = batch.items.map((event): TelemetryEvent => {
          if (!matches(event.topic) || event.topic === event.topic.toUpperCase()) return event;
          changed++;
          return { ...event, topic: event.topic.toUpperCase() };
        });
        return ctx.next.consume(changed === 0 ? batch : eventBatch(items));
      },
    };
  },
});

/** What `service.plugins` loads: every definition this module offers. */
export const plugins = [uppercaseTopic];
