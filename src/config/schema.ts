import { DURATION_PATTERN } from '../api/duration';
import type { ComponentKind, JsonSchema } from '../api/plugin';
import { SIGNALS } from '../api/signals';

/** `host:port`, including `[::1]:8888`. */
export const ENDPOINT_PATTERN = '^\\S+:[0-9]{1,5}$';

/** The top-level sections that hold component definitions, by kind. */
export const SECTIONS: Readonly<Record<ComponentKind, 'receivers' | 'processors' | 'exporters' | 'connectors'>> = {
  receiver: 'receivers',
  processor: 'processors',
  exporter: 'exporters',
  connector: 'connectors',
};

function duration(description: string, defaultValue?: string): JsonSchema {
  const schema: JsonSchema = { type: ['string', 'integer'], pattern: DURATION_PATTERN, minimum: 0, description };
  if (defaultValue !== undefined) schema['default'] = defaultValue;
  return schema;
}

function withDefault(schema: JsonSchema, defaultValue: unknown, on: boolean): JsonSchema {
  return on ? { ...schema, default: defaultValue } : schema;
}

/**
 * The circuit breaker keys. Under `service.breaker` they carry defaults; on a component they do
 * not, because an absent key there means "as in service.breaker", not "the built-in default".
 */
export function breakerSchema(defaults: boolean): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    description: 'Circuit breaker around the component: opens after consecutive failures, fails fast while open.',
    properties: {
      failure_threshold: withDefault({ type: 'integer', minimum: 1, description: 'Consecutive failures that open the breaker.' }, 5, defaults),
      reset_timeout: withDefault(duration('How long the breaker stays open before letting trial calls through.'), '30s', defaults),
      half_open_max_calls: withDefault({ type: 'integer', minimum: 1, description: 'Trial calls allowed while half-open.' }, 1, defaults),
    },
    ...(defaults ? { default: {} } : {}),
  };
}

/** The exporter helper keys (as in the OpenTelemetry Collector's exporterhelper), with defaults. */
export const EXPORTER_HELPER_PROPERTIES: Readonly<Record<string, JsonSchema>> = {
  timeout: duration('Time limit of one export call.', '5s'),
  sending_queue: {
    type: 'object',
    additionalProperties: false,
    default: {},
    description: 'Bounded queue in front of the exporter.',
    properties: {
      enabled: { type: 'boolean', default: true, description: 'Queue batches; when false, calls go straight through.' },
      queue_size: { type: 'integer', minimum: 1, default: 1000, description: 'Capacity in batches.' },
      num_consumers: { type: 'integer', minimum: 1, default: 10, description: 'Concurrent export calls draining the queue.' },
      when_full: { enum: ['block', 'drop_oldest', 'drop_newest'], default: 'block', description: 'What to do when the queue is full.' },
      merge_max_items: {
        type: 'integer', minimum: 0, default: 0,
        description: 'Memory queue: batches already waiting are sent as one export call of at most this many items (0: each batch alone). Nothing waits for more to arrive: idle, batches go alone; under load, calls grow. The disk queue sends each batch alone.',
      },
      storage: {
        enum: ['memory', 'disk'],
        default: 'memory',
        description: 'memory: lost on a crash; disk: batches are synced to disk before they are accepted and survive kill -9 and restarts (see docs/delivery.md, Disk queue).',
      },
      directory: {
        type: 'string',
        minLength: 1,
        description: 'Directory of the disk queue, one per exporter (default ./data/queue/<exporter id, / as _>, relative to the working directory).',
      },
      sizer: {
        enum: ['batches', 'items'],
        default: 'batches',
        description: 'Unit of queue_size for the disk queue: batches, or items (points, events...). The memory queue counts batches.',
      },
      fsync: {
        enum: ['batch', 'group'],
        default: 'batch',
        description: 'Disk queue durability: batch syncs before each acceptance (batches arriving during a sync share the next one); group also waits group_commit_interval to share a sync among more batches.',
      },
      group_commit_interval: duration('With fsync: group, how long a write waits for others before the shared sync (the added acceptance latency).', '5ms'),
    },
  },
  retry_on_failure: {
    type: 'object',
    additionalProperties: false,
    default: {},
    description: 'Retries of transient failures with exponential backoff.',
    properties: {
      enabled: { type: 'boolean', default: true, description: 'Retry transient failures.' },
      initial_interval: duration('Wait before the first retry.', '5s'),
      max_interval: duration('Upper bound of the backoff before jitter (a jittered wait reaches at most this × (1 + randomization_factor)).', '30s'),
      max_elapsed_time: duration('Give up after this long; 0 retries forever.', '300s'),
      multiplier: { type: 'number', minimum: 1, default: 1.5, description: 'Growth factor of the wait.' },
      randomization_factor: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Jitter, as a fraction of the wait.' },
    },
  },
};

/** Keys the runtime reads on a component of each kind; they are removed before the plugin's own schema check. */
export function runtimeKeys(kind: ComponentKind): string[] {
  return kind === 'exporter' ? ['breaker', ...Object.keys(EXPORTER_HELPER_PROPERTIES)] : ['breaker'];
}

/** Schema of the runtime keys of a component of `kind` (already separated from the plugin keys). */
export function runtimeKeysSchema(kind: ComponentKind): JsonSchema {
  const properties: Record<string, JsonSchema> = { breaker: breakerSchema(false) };
  if (kind === 'exporter') Object.assign(properties, EXPORTER_HELPER_PROPERTIES);
  return { type: 'object', additionalProperties: false, properties };
}

const componentSection: JsonSchema = {
  type: ['object', 'null'],
  additionalProperties: { type: ['object', 'null'] },
};

const idList: JsonSchema = { type: 'array', items: { type: 'string' }, default: [] };

/** The file's shape. Component configs are checked later against each plugin's own schema. */
export const TOP_LEVEL_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['service'],
  properties: {
    receivers: componentSection,
    processors: componentSection,
    exporters: componentSection,
    connectors: componentSection,
    service: {
      type: 'object',
      additionalProperties: false,
      required: ['pipelines'],
      properties: {
        pipelines: {
          type: 'object',
          description: `Pipelines by id, \`<signal>[/name]\` with signal one of ${SIGNALS.join(', ')}.`,
          additionalProperties: {
            type: ['object', 'null'],
            additionalProperties: false,
            properties: { receivers: idList, processors: idList, exporters: idList },
          },
        },
        plugins: { type: 'array', items: { type: 'string', minLength: 1 }, default: [], description: 'Plugin modules to load.' },
        breaker: breakerSchema(true),
        shutdown_timeout: duration('Time limit for draining and stopping everything.', '30s'),
        series_ttl: duration('Series not seen for this long are forgotten.', '1h'),
        memory: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'Memory limits that drive the load-shedding mode (resident memory in MiB; 0 turns a limit off).',
          properties: {
            soft_limit_mib: { type: 'integer', minimum: 0, default: 0, description: 'Resident memory that enters conservative mode.' },
            limit_mib: { type: 'integer', minimum: 0, default: 0, description: 'Resident memory the collector stays under: emergency mode (receivers refuse new data before decoding it) starts at 90 % of it.' },
            check_interval: duration('How often memory, queues and breakers are checked.', '1s'),
          },
        },
        conservative: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'What conservative mode does, and when queues trigger it.',
          properties: {
            queue_high_watermark: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.8, description: 'Fill ratio of any sending queue that enters conservative mode.' },
            processing_delay: duration('Delay inserted before each batch a receiver hands over while conservative.', '10ms'),
            batch_size_factor: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'Batching processors scale their batch sizes by this while conservative.' },
            hysteresis: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.8, description: 'A trigger clears only below this fraction of its threshold.' },
          },
        },
        telemetry: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            logs: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: { level: { enum: ['debug', 'info', 'warn', 'error'], default: 'info', description: 'Log level.' } },
            },
            metrics: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: {
                endpoint: {
                  type: ['string', 'null'],
                  pattern: ENDPOINT_PATTERN,
                  default: '127.0.0.1:8888',
                  description: 'host:port of the self-telemetry server; null turns it off.',
                },
              },
            },
          },
        },
      },
    },
  },
};
