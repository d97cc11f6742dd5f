import { defineProcessor } from '../../src/api';
import { configSchema } from './config';
import type { TtlConfig } from './config';
import { Deduplicator } from './deduplicator';

export const plugin = defineProcessor<TtlConfig>({
  type: 'ttl',
  description: 'De-duplicates items within a time-to-live per signal: events, alerts and commands by (epoch, request_id), metric points by (series, timestamp).',
  signals: ['metrics', 'events', 'alerts', 'control'],
  configSchema,
  create: (ctx) => new Deduplicator(ctx),
});
