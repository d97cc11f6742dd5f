import { durationSchema, type JsonSchema } from '../../src/api';

export interface GeneratorConfig {
  readonly metrics: {
    readonly enabled: boolean;
    readonly series: number;
    readonly metric_names: readonly string[];
    readonly kind: 'gauge' | 'counter';
  };
  readonly events: {
    readonly enabled: boolean;
    readonly per_second: number;
  };
  readonly points_per_second: number;
  readonly batch_size: number;
  readonly interval: string | number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    metrics: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Synthetic metric points.',
      properties: {
        enabled: { type: 'boolean', default: true, description: 'Generate metric points.' },
        series: { type: 'integer', minimum: 1, default: 100, description: 'Distinct series, spread round-robin over metric_names.' },
        metric_names: {
          type: 'array',
          items: { type: 'string', pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' },
          minItems: 1,
          default: ['nissa_demo_requests', 'nissa_demo_latency_seconds'],
          description: 'Metric names the series use.',
        },
        kind: { type: 'string', enum: ['gauge', 'counter'], default: 'gauge', description: 'gauge: a deterministic wave; counter: monotonically increasing values.' },
      },
    },
    events: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Synthetic events on topic telemetry.seed.health.',
      properties: {
        enabled: { type: 'boolean', default: true, description: 'Generate events.' },
        per_second: { type: 'number', minimum: 0, default: 10, description: 'Events per second.' },
      },
    },
    points_per_second: {
      type: 'number',
      minimum: 0,
      default: 1000,
      description: 'Metric points per second; 0 sends batches back to back, as fast as the pipeline accepts them.',
    },
    batch_size: { type: 'integer', minimum: 1, default: 1000, description: 'Most items per batch.' },
    interval: durationSchema('1s', 'How often a tick emits the points and events due since the last one.'),
  },
};
