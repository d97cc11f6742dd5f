import { durationSchema, sizeSchema, type JsonSchema } from '../../src/api';

export interface StaticConfig {
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ScrapeConfig {
  readonly job_name: string;
  readonly static_configs: readonly StaticConfig[];
  readonly scrape_interval: string | number;
  readonly scrape_timeout: string | number;
  readonly metrics_path: string;
  readonly honor_labels: boolean;
  readonly scheme: 'http';
  readonly body_size_limit: string | number;
}

export interface PrometheusReceiverConfig {
  readonly scrape_configs: readonly ScrapeConfig[];
}

const scrapeConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['job_name'],
  properties: {
    job_name: { type: 'string', minLength: 1, description: 'Value of the `job` label of every series scraped by this config.' },
    static_configs: {
      type: 'array',
      default: [],
      description: 'Fixed target lists.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['targets'],
        properties: {
          targets: {
            type: 'array',
            items: { type: 'string', pattern: '^[^/\\s]+:[0-9]{1,5}$' },
            description: '`host:port` of each target; becomes the `instance` label.',
          },
          labels: {
            type: 'object',
            additionalProperties: { type: 'string' },
            default: {},
            description: 'Labels added to every series of these targets (like job and instance).',
          },
        },
      },
    },
    scrape_interval: durationSchema('1m', 'How often each target is scraped.'),
    scrape_timeout: durationSchema('10s', 'A scrape that takes longer fails (up=0). Capped at scrape_interval.'),
    metrics_path: { type: 'string', default: '/metrics', description: 'HTTP path of the metrics on each target.' },
    honor_labels: {
      type: 'boolean',
      default: false,
      description: 'On a clash with job/instance/static labels: true keeps the scraped value; false keeps the target\'s and renames the scraped label to exported_<name>.',
    },
    scheme: { type: 'string', enum: ['http'], default: 'http', description: 'Only plain http is supported.' },
    body_size_limit: sizeSchema('50MiB', 'Largest (decompressed) response accepted; a larger one fails the scrape.'),
  },
};

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scrape_configs: {
      type: 'array',
      default: [],
      items: scrapeConfigSchema,
      description: 'Scrape jobs, a subset of Prometheus\'s scrape_config.',
    },
  },
};
