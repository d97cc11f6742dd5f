import { defineExporter } from '../../src/api';
import { configSchema, type BusExporterConfig } from './config';
import { BusExporter } from './exporter';

export const plugin = defineExporter<BusExporterConfig>({
  type: 'bus',
  description: 'Publishes events (including breaker state changes), alerts and control commands to the platform message bus (Redis Streams), one entry per item.',
  signals: ['events', 'alerts', 'control'],
  configSchema,
  create: (ctx) => new BusExporter(ctx),
});
