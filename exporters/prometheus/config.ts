import { durationSchema, type JsonSchema } from '../../src/api';
import { labelMapSchema } from '../../src/prometheus/label-map-schema';

export interface PrometheusExporterConfig {
  readonly endpoint: string;
  readonly namespace: string;
  readonly const_labels: Readonly<Record<string, string>>;
  readonly metric_expiration: string | number;
  readonly send_timestamps: boolean;
  readonly add_metric_suffixes: boolean;
  readonly enable_open_metrics: boolean;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    endpoint: {
      type: 'string',
      default: '127.0.0.1:9464',
      pattern: '^(\\[[0-9a-fA-F:.]+\\]|[^:\\[\\]]*):[0-9]{1,5}$',
      description: 'host:port serving GET /metrics. Loopback by default; 0.0.0.0:<port> exposes it. Port 0 picks a free port.',
    },
    namespace: {
      type: 'string',
      default: '',
      description: 'Prefix added as `<namespace>_` to every metric name.',
    },
    const_labels: labelMapSchema('Labels added to every series; a series label with the same name wins.'),
    metric_expiration: durationSchema('5m', 'A series not updated for this long disappears from the exposition.'),
    send_timestamps: {
      type: 'boolean',
      default: false,
      description: 'Append each sample\'s own timestamp. Off: the scraper stamps samples with the scrape time (and handles staleness).',
    },
    add_metric_suffixes: {
      type: 'boolean',
      default: true,
      description: 'Append the unit (`_seconds`, `_bytes`...) from the series\' OTLP unit when the name lacks it. Counters always end in `_total`.',
    },
    enable_open_metrics: {
      type: 'boolean',
      default: true,
      description: 'Serve OpenMetrics 1.0 to scrapers that ask for it in `Accept`; otherwise always the text format 0.0.4.',
    },
  },
};
