import { defineExporter } from '../../src/api';
import { configSchema, type RemoteWriteExporterConfig } from './config';
import { RemoteWriteExporter } from './exporter';

/** Push exporter: Prometheus remote write 1.0 (snappy-compressed protobuf WriteRequest). */
export const plugin = defineExporter<RemoteWriteExporterConfig>({
  type: 'prometheus_remote_write',
  description: 'Sends metrics with Prometheus remote write 1.0 to Prometheus, Mimir, Thanos, VictoriaMetrics or another Nissa.',
  signals: ['metrics'],
  ordered: true,
  configSchema,
  create: (ctx) => new RemoteWriteExporter(ctx),
});
