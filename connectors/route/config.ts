import type { JsonSchema } from '../../src/api';

export interface RouteMatch {
  /** Event topic glob (`*` one dot-separated segment, `**` any). */
  topic?: string;
  /** Event type, exact or `/regex/`. */
  event_type?: string;
  /** Event attributes, each exact or `/regex/`. */
  attributes?: Record<string, string>;
  /** Metric name glob. */
  metric_name?: string;
  /** Alert name glob. */
  alert_name?: string;
  /** Metric series labels or alert labels, each exact or `/regex/`. */
  labels?: Record<string, string>;
}

export interface RouteRule {
  match: RouteMatch;
  pipelines: string[];
}

export interface RouteConfig {
  table: RouteRule[];
  default_pipelines: string[];
  match_once: boolean;
  dead_letter_from: string[];
}

const stringMap = (description: string): JsonSchema => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  minProperties: 1,
  description,
});

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    table: {
      type: 'array',
      default: [],
      description: 'Routes, tried in order. An item goes to the pipelines of the first route that matches (or of every match when `match_once` is false).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['match', 'pipelines'],
        properties: {
          match: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            description: 'Conditions, all of which must hold. Keys apply to some signals only; a route whose keys do not apply to a signal never matches it.',
            properties: {
              topic: { type: 'string', description: 'Events: topic glob, `*` = one dot-separated segment, `**` = any.' },
              event_type: { type: 'string', description: 'Events: event type, exact or `/regex/`.' },
              attributes: stringMap('Events: attribute values, each exact or `/regex/`.'),
              metric_name: { type: 'string', description: 'Metrics: metric name glob.' },
              alert_name: { type: 'string', description: 'Alerts: alert name glob.' },
              labels: stringMap('Metrics: series labels; alerts: alert labels; each exact or `/regex/`.'),
            },
          },
          pipelines: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Pipeline ids (`<signal>[/name]`) fed by this connector.' },
        },
      },
    },
    default_pipelines: { type: 'array', items: { type: 'string' }, default: [], description: 'Pipelines for items no route matches; with none, such items are dropped and counted (`no_route`).' },
    match_once: { type: 'boolean', default: true, description: 'Stop at the first matching route. When false, an item goes to the pipelines of every matching route (each pipeline once).' },
    dead_letter_from: { type: 'array', items: { type: 'string' }, default: [], description: 'Dead-letter channels to take items from (a `validate` processor with `on_invalid: dead_letter` publishes on its component id). Those items are routed by the same table.' },
  },
};
