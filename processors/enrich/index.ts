import { defineProcessor } from '../../src/api';
import { configSchema } from './config';
import type { EnrichConfig } from './config';
import { Enricher } from './enricher';

export const plugin = defineProcessor<EnrichConfig>({
  type: 'enrich',
  description: 'Inserts, updates, upserts, deletes, renames and copies metric labels and event attributes; promotes resource attributes.',
  signals: ['metrics', 'events', 'alerts'],
  configSchema,
  create: (ctx) => new Enricher(ctx),
});
