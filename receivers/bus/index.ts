import { defineReceiver } from '../../src/api';
import { configSchema, type BusReceiverConfig } from './config';
import { BusReceiver } from './receiver';

export const plugin = defineReceiver<BusReceiverConfig>({
  type: 'bus',
  description: 'Reads the platform message bus (Redis Streams) with a consumer group shared by every Nissa instance; Nissa protobuf or JSON payloads, acknowledged once the pipelines accepted them.',
  signals: ['events', 'metrics', 'alerts', 'control'],
  configSchema,
  create: (ctx) => new BusReceiver(ctx),
});
