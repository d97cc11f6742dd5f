import { defineReceiver } from '../../src/api';
import { configSchema, type RemoteWriteReceiverConfig } from './config';
import { RemoteWriteReceiver } from './receiver';

/** Push receiver: Prometheus remote write 1.0, so Nissa can sit behind Prometheus, Grafana Agent or vmagent. */
export const plugin = defineReceiver<RemoteWriteReceiverConfig>({
  type: 'prometheus_remote_write',
  description: 'Accepts Prometheus remote write 1.0 (snappy protobuf) at POST /api/v1/write.',
  signals: ['metrics'],
  configSchema,
  create: (ctx) => new RemoteWriteReceiver(ctx),
});
