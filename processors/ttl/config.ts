import { durationSchema } from '../../src/api';
import type { JsonSchema } from '../../src/api';

export interface TtlConfig {
  events_ttl: string | number;
  metrics_ttl: string | number;
  alerts_ttl: string | number;
  control_ttl: string | number;
  cleanup_interval: string | number;
  cleanup_batch_size: number;
  max_entries: number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    events_ttl: durationSchema('1h', 'How long an event identity (epoch, request_id) is remembered.'),
    metrics_ttl: durationSchema('2h', 'How long the newest accepted timestamp of a series is remembered.'),
    alerts_ttl: durationSchema('24h', 'How long an alert identity is remembered.'),
    control_ttl: durationSchema('1h', 'How long a control command identity (epoch, request_id) is remembered.'),
    cleanup_interval: durationSchema('5m', 'How often expired keys are removed.'),
    cleanup_batch_size: { type: 'integer', minimum: 1, default: 10000, description: 'Keys removed per chunk; the cleanup yields to the event loop between chunks.' },
    max_entries: { type: 'integer', minimum: 1, maximum: 16000000, default: 1000000, description: 'Maximum remembered keys (events, alerts, control); the oldest is evicted first. At most 16M (a V8 Map limit).' },
  },
};
