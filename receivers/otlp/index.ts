import { defineReceiver } from '../../src/api';
import { configSchema, type OtlpReceiverConfig } from './config';
import { OtlpReceiver } from './receiver';

export const plugin = defineReceiver<OtlpReceiverConfig>({
  type: 'otlp',
  description: 'OTLP/HTTP receiver: metrics (POST /v1/metrics) and logs as events (POST /v1/logs), protobuf or JSON, gzip.',
  signals: ['metrics', 'events'],
  configSchema,
  create: (ctx) => new OtlpReceiver(ctx),
});
