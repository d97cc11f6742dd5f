import { durationSchema, parseDuration, type JsonSchema } from '../../src/api';
import { redisConnectionSchema, type RedisConnectionConfig } from '../../src/bus/connection';
import { DEFAULT_TOPICS, topicSettingsSchema, type TopicSettings } from '../../src/bus/topics';

/** The `bus` receiver's config after defaults; keys as in YAML. */
export interface BusReceiverConfig extends RedisConnectionConfig {
  readonly topics: readonly string[];
  readonly topic_settings: TopicSettings;
  readonly stream_prefix: string;
  readonly payload_field: string;
  readonly group: string;
  readonly consumer: string;
  readonly start_id: string;
  readonly count: number;
  readonly block: string | number;
  readonly max_in_flight: number;
  readonly min_idle_time: string | number;
  readonly claim_interval: string | number;
  readonly max_deliveries: number;
  readonly dead_letter_stream: string;
  readonly retry_initial_interval: string | number;
  readonly retry_max_interval: string | number;
  readonly max_age: string | number;
  readonly max_future: string | number;
}

const int = (def: number, min: number, description: string): JsonSchema => ({ type: 'integer', minimum: min, default: def, description });

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...redisConnectionSchema(),
    topics: {
      type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true, default: [...DEFAULT_TOPICS],
      description: 'Topics to read, one Redis stream each (stream key = `stream_prefix` + topic). Defaults to the platform topics.',
    },
    topic_settings: topicSettingsSchema,
    stream_prefix: { type: 'string', default: '', description: 'Prefix of the stream key of every topic.' },
    payload_field: { type: 'string', minLength: 1, default: 'payload', description: 'Entry field that holds the Nissa message (protobuf or JSON).' },
    group: { type: 'string', minLength: 1, default: 'nissa-observability', description: 'Consumer group shared by every Nissa instance; created with MKSTREAM when missing.' },
    consumer: { type: 'string', default: '', description: 'Consumer name, unique per instance; empty for `<hostname>-<pid>-<random>`.' },
    start_id: { type: 'string', pattern: '^(\\$|0|[0-9]+(-[0-9]+)?)$', default: '0', description: 'Where a newly created group starts: `0` (the whole stream) or `$` (only new entries).' },
    count: int(2000, 1, 'COUNT of one XREADGROUP: entries per stream per read (all topics are read in one command); also the XAUTOCLAIM COUNT.'),
    block: durationSchema('1s', 'Longest wait of one XREADGROUP for new entries (BLOCK); also bounds how long shutdown waits for the read.'),
    max_in_flight: int(2, 1, 'Reads whose entries may be in the pipelines at once: the next read is made while the previous batch is delivered.'),
    min_idle_time: durationSchema('30s', 'Pending entries idle this long (their consumer died or hangs) are claimed (XAUTOCLAIM).'),
    claim_interval: durationSchema('5s', 'How often pending entries of other consumers are looked for.'),
    max_deliveries: int(5, 1, 'Deliveries of an undecodable entry before it is moved to the dead-letter stream and acknowledged.'),
    dead_letter_stream: { type: 'string', minLength: 1, default: 'nissa.dead_letter', description: 'Stream that receives poison entries (with their stream, id, error and delivery count).' },
    retry_initial_interval: durationSchema('100ms', 'First wait before a batch the pipelines refused is offered again (doubles up to `retry_max_interval`).'),
    retry_max_interval: durationSchema('5s', 'Longest wait between offers of a refused batch.'),
    max_age: durationSchema('7d', 'Items older than this are refused (invalid_timestamp); a backlog may be old.'),
    max_future: durationSchema('10m', 'Timestamps further than this in the future are refused (clock skew allowance).'),
  },
};

/** Durations of the config in milliseconds. */
export interface BusTimings {
  readonly blockMs: number;
  readonly minIdleMs: number;
  readonly claimIntervalMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly connectTimeoutMs: number;
}

export function timingsOf(c: BusReceiverConfig): BusTimings {
  return {
    blockMs: parseDuration(c.block),
    minIdleMs: parseDuration(c.min_idle_time),
    claimIntervalMs: parseDuration(c.claim_interval),
    retryInitialMs: parseDuration(c.retry_initial_interval),
    retryMaxMs: parseDuration(c.retry_max_interval),
    connectTimeoutMs: parseDuration(c.connect_timeout),
  };
}
