import { defineReceiver, SIGNALS } from '../../src/api';
import { configSchema, type NissaReceiverConfig } from './config';
import { NissaReceiver } from './receiver';

export const plugin = defineReceiver<NissaReceiverConfig>({
  type: 'nissa',
  description: "Receives Nissa's own protobuf (or JSON) batches of metrics, events, alerts and control commands over HTTP.",
  signals: SIGNALS,
  configSchema,
  create: (ctx) => new NissaReceiver(ctx),
});
