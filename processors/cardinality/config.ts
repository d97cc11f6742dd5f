import { durationSchema } from '../../src/api';
import type { JsonSchema } from '../../src/api';

export type LimitAction = 'drop' | 'overflow';

export interface CardinalityConfig {
  max_series: number;
  metric_limits: Record<string, number>;
  series_ttl: string | number;
  action: LimitAction;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max_series: { type: 'integer', minimum: 1, default: 1000000, description: 'Series accepted at most over the whole processor instance.' },
    metric_limits: {
      type: 'object',
      additionalProperties: { type: 'integer', minimum: 1 },
      default: {},
      description: 'Per-metric limits: metric name glob -> series accepted at most for each metric name it matches. The first matching glob (in config order) applies.',
    },
    series_ttl: durationSchema('1h', 'A series not seen for this long is forgotten (its slot is freed and counts against no limit).'),
    action: { type: 'string', enum: ['drop', 'overflow'], default: 'drop', description: 'New series over a limit: `drop` their points (counted), or `overflow`: fold them into one series per metric labelled otel_metric_overflow="true".' },
  },
};
