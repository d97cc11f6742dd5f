import { defineExporter } from '../../src/api';
import { configSchema, type OtlpHttpExporterConfig } from './config';
import { OtlpHttpExporter } from './exporter';

/** Push exporter: OTLP/HTTP (protobuf or JSON, gzip) to an OpenTelemetry Collector, a backend, or another Nissa. */
export const plugin = defineExporter<OtlpHttpExporterConfig>({
  type: 'otlp_http',
  description: 'Sends metrics and events (as OTLP log records) over OTLP/HTTP, protobuf or JSON, gzip, to an OpenTelemetry Collector, an OTLP backend or another Nissa.',
  signals: ['metrics', 'events'],
  configSchema,
  create: (ctx) => new OtlpHttpExporter(ctx),
});
