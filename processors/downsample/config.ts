import { durationSchema } from '../../src/api';

/** One tier as written in YAML. */
export interface TierConfig {
  /** Tier name, used as the `resolution` label value (`1m`, `5m`...). */
  name: string;
  interval: string | number;
  /** Tier it is rolled up from: `raw` or the name of an earlier tier. Empty = the previous tier (raw for the first). */
  source: string;
  /** What the storage behind this tier keeps it for (documentation for routing; not enforced here). */
  retention: string;
  /** Aggregations of gauges, up-down counters and histograms. */
  aggregations: string[];
  /** Aggregations of counters (cumulative and delta). */
  counter_aggregations: string[];
}

export interface DownsampleConfig {
  tiers: TierConfig[];
  allowed_lateness: string | number;
  idle_timeout: string | number;
  forward_raw: boolean;
  naming: 'labels' | 'suffix';
  resolution_label: string;
  aggregation_label: string;
  histogram_temporality: 'cumulative' | 'delta';
  relative_accuracy: number;
  max_bins: number;
  flush_on_shutdown: boolean;
  checkpoint: { directory: string; interval: string | number };
}

const GAUGE_AGG_PATTERN = '^(mean|min|max|count|sum|last|stddev|p(100|[0-9]{1,2}(\\.[0-9]+)?))$';
const COUNTER_AGG_PATTERN = '^(increase|rate|last|count)$';

export const DEFAULT_TIERS: TierConfig[] = [
  { name: '1m', interval: '1m', source: 'raw', retention: '24h', aggregations: ['mean', 'min', 'max', 'count', 'sum'], counter_aggregations: ['increase', 'rate', 'last'] },
  { name: '5m', interval: '5m', source: '1m', retention: '7d', aggregations: ['mean', 'min', 'max', 'p50', 'p95', 'p99'], counter_aggregations: ['increase', 'rate', 'last'] },
  { name: '1h', interval: '1h', source: '5m', retention: '30d', aggregations: ['mean', 'min', 'max', 'p50', 'p95', 'p99', 'stddev'], counter_aggregations: ['increase', 'rate', 'last'] },
  { name: '1d', interval: '1d', source: '1h', retention: '365d', aggregations: ['mean', 'min', 'max', 'p50', 'p95', 'p99', 'stddev'], counter_aggregations: ['increase', 'rate', 'last'] },
];

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tiers: {
      type: 'array',
      minItems: 1,
      description: 'Aggregated tiers, finest first. Omitted = 1m (from raw), 5m (from 1m), 1h (from 5m), 1d (from 1h). Raw points themselves are the `raw` tier (see forward_raw).',
      default: DEFAULT_TIERS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'interval', 'aggregations'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'Tier name; the value of the resolution label.' },
          interval: { ...durationSchema('1m', 'Window length; windows are aligned to UTC multiples of it. Must be a multiple of the source tier interval.') },
          source: { type: 'string', default: '', description: 'Tier this one is rolled up from (`raw` or an earlier tier name); empty = the previous tier, raw for the first.' },
          retention: { type: 'string', default: '', description: 'How long the storage behind this tier keeps it (informational, for routing/exporters).' },
          aggregations: {
            type: 'array',
            items: { type: 'string', pattern: GAUGE_AGG_PATTERN },
            description: 'Aggregations of gauges and histograms: mean, min, max, count, sum, last, stddev, pNN or pNN.N.',
          },
          counter_aggregations: {
            type: 'array',
            items: { type: 'string', pattern: COUNTER_AGG_PATTERN },
            default: ['increase', 'rate', 'last'],
            description: 'Aggregations of counters: increase, rate (per second), last, count.',
          },
        },
      },
    },
    allowed_lateness: durationSchema('5s', 'A window closes once the newest timestamp seen minus this passes its end.'),
    idle_timeout: durationSchema('30s', 'With no data for this long (wall clock), every window that ended before now closes.'),
    forward_raw: { type: 'boolean', default: true, description: 'Pass the raw points downstream too (tee), before the aggregates.' },
    naming: { type: 'string', enum: ['labels', 'suffix'], default: 'labels', description: '`labels`: same name plus resolution/agg labels; `suffix`: name `<name>:<tier>:<agg>`.' },
    resolution_label: { type: 'string', default: 'resolution', description: 'Label carrying the tier name (labels naming).' },
    aggregation_label: { type: 'string', default: 'agg', description: 'Label carrying the aggregation (labels naming).' },
    histogram_temporality: { type: 'string', enum: ['cumulative', 'delta'], default: 'cumulative', description: 'How histogram points count: cumulative (differences between points are taken) or delta.' },
    relative_accuracy: { type: 'number', exclusiveMinimum: 0, maximum: 0.1, default: 0.01, description: 'Relative error bound of percentiles (DDSketch).' },
    max_bins: { type: 'integer', minimum: 16, maximum: 65536, default: 1024, description: 'Bins per sketch before the lowest collapse (bounds memory; upper percentiles stay exact to relative_accuracy).' },
    flush_on_shutdown: { type: 'boolean', default: false, description: 'Emit incomplete windows on shutdown (otherwise they are only checkpointed).' },
    checkpoint: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Periodic checkpoint of open windows; no directory = no checkpoint.',
      properties: {
        directory: { type: 'string', default: '', description: 'Directory of the checkpoint file; empty disables checkpoints.' },
        interval: durationSchema('1m', 'Time between checkpoints (one is also written on shutdown).'),
      },
    },
  },
} as const;
