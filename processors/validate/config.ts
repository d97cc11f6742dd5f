import { durationSchema } from '../../src/api';
import type { JsonSchema } from '../../src/api';

export type OnInvalid = 'drop' | 'dead_letter';
export type RequiredEventField = 'epoch' | 'request_id' | 'topic';

export interface ValidateConfig {
  metric_name_pattern: string;
  label_name_pattern: string;
  max_labels: number;
  max_label_name_length: number;
  max_label_value_length: number;
  allow_infinity: boolean;
  max_age: string | number;
  max_future: string | number;
  required_event_fields: RequiredEventField[];
  topic_pattern: string;
  on_invalid: OnInvalid;
  dead_letter_channel: string;
}

/** Prometheus's classic (pre-UTF-8) metric and label name grammar. */
export const PROMETHEUS_METRIC_NAME = '^[a-zA-Z_:][a-zA-Z0-9_:]*$';
export const PROMETHEUS_LABEL_NAME = '^[a-zA-Z_][a-zA-Z0-9_]*$';

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    metric_name_pattern: { type: 'string', default: PROMETHEUS_METRIC_NAME, description: 'Regular expression every metric name must match. Use `.+` to accept UTF-8 (dotted OpenTelemetry) names.' },
    label_name_pattern: { type: 'string', default: PROMETHEUS_LABEL_NAME, description: 'Regular expression every label name (metrics, alert labels) must match.' },
    max_labels: { type: 'integer', minimum: 0, default: 64, description: 'Maximum labels per series (0 = no limit).' },
    max_label_name_length: { type: 'integer', minimum: 0, default: 1024, description: 'Maximum length of a label name in characters (0 = no limit).' },
    max_label_value_length: { type: 'integer', minimum: 0, default: 2048, description: 'Maximum length of a label value in characters (0 = no limit).' },
    allow_infinity: { type: 'boolean', default: false, description: 'Accept +Inf and -Inf values. NaN is accepted only as the Prometheus stale marker.' },
    max_age: { ...durationSchema('2h', 'Points and events older than this are invalid (0 = no limit).') },
    max_future: { ...durationSchema('10m', 'Points and events further ahead of the clock than this are invalid (0 = no limit).') },
    required_event_fields: {
      type: 'array',
      items: { type: 'string', enum: ['epoch', 'request_id', 'topic'] },
      uniqueItems: true,
      default: ['epoch', 'request_id', 'topic'],
      description: 'Event fields that must be present: `epoch` (a finite number >= 0), `request_id` and `topic` (non-empty).',
    },
    topic_pattern: { type: 'string', default: '', description: 'Regular expression event topics must match (empty = any).' },
    on_invalid: { type: 'string', enum: ['drop', 'dead_letter'], default: 'drop', description: 'What happens to invalid items: dropped and counted, or published on the dead-letter channel for a `route` connector to take.' },
    dead_letter_channel: { type: 'string', default: '', description: 'Dead-letter channel name (empty = this component id, e.g. `validate/strict`).' },
  },
};
