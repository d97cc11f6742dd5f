import { defineReceiver } from '../../src/api';
import { configSchema, type PrometheusReceiverConfig } from './config';
import { PrometheusReceiver } from './receiver';

/** Pull receiver: scrapes Prometheus/OpenMetrics endpoints. */
export const plugin = defineReceiver<PrometheusReceiverConfig>({
  type: 'prometheus',
  description: 'Scrapes Prometheus text-format and OpenMetrics endpoints on a schedule (static targets), with up/staleness like Prometheus.',
  signals: ['metrics'],
  configSchema,
  create: (ctx) => new PrometheusReceiver(ctx),
});
