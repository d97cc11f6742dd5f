import type { JsonSchema } from '../../src/api';
import { redisConnectionSchema, type RedisConnectionConfig } from '../../src/bus/connection';

/** The `bus` exporter's config after defaults; keys as in YAML. */
export interface BusExporterConfig extends RedisConnectionConfig {
  readonly topic: string;
  readonly alerts_topic: string;
  readonly control_topic: string;
  readonly stream_prefix: string;
  readonly payload_field: string;
  readonly format: 'protobuf' | 'json';
  readonly max_len: number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...redisConnectionSchema(),
    topic: { type: 'string', default: '', description: "Fixed topic of every item; empty: an event's own `topic` (alerts and commands use the topics below)." },
    alerts_topic: { type: 'string', minLength: 1, default: 'nissa.alerts', description: 'Topic of alert notifications when `topic` is empty.' },
    control_topic: { type: 'string', minLength: 1, default: 'control.kasmina.commands', description: 'Topic of control commands when `topic` is empty.' },
    stream_prefix: { type: 'string', default: '', description: 'Prefix of the stream key of every topic.' },
    payload_field: { type: 'string', minLength: 1, default: 'payload', description: 'Entry field that holds the item.' },
    format: { type: 'string', enum: ['protobuf', 'json'], default: 'protobuf', description: 'Payload encoding: the item message in protobuf, or as JSON with the .proto field names.' },
    max_len: { type: 'integer', minimum: 0, default: 0, description: 'Approximate stream length kept by trimming on every XADD (`MAXLEN ~`); 0 keeps everything.' },
  },
};
