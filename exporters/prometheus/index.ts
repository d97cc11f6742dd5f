import { defineExporter } from '../../src/api';
import { configSchema, type PrometheusExporterConfig } from './config';
import { PrometheusExporter } from './exporter';

/** Pull exporter: serves the latest value of every series to Prometheus scrapers. */
export const plugin = defineExporter<PrometheusExporterConfig>({
  type: 'prometheus',
  description: 'Serves the latest value of every series at /metrics in the Prometheus text format 0.0.4 or OpenMetrics 1.0.',
  signals: ['metrics'],
  configSchema,
  create: (ctx) => new PrometheusExporter(ctx),
});
