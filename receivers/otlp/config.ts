import { durationSchema, type JsonSchema } from '../../src/api';
import { httpServerSchemaProperties, type HttpServerConfig } from '../../src/http/server-config';

export interface OtlpReceiverConfig extends HttpServerConfig {
  /** Data points and log records stamped later than now + this are refused. */
  max_future: string | number;
  resource_to_labels: {
    job: boolean;
    instance: boolean;
    promote: string[];
    prefix: string;
    target_info: boolean;
  };
  /** Scope name, version and attributes as `otel_scope_*` labels on every series of the scope. */
  scope_labels: boolean;
  /** Bound of the cache from raw attribute bytes to series ids. */
  series_cache_size: number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...httpServerSchemaProperties('127.0.0.1:4318'),
    max_future: durationSchema('1h', 'Data points and log records with a time later than now + max_future are refused (counted, reported in partial_success).'),
    resource_to_labels: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Which OTLP resource attributes become metric labels; the rest are kept on the `target_info` series (logs keep them all as the event resource).',
      properties: {
        job: { type: 'boolean', default: true, description: 'Set label `job` from `service.name`, prefixed `service.namespace/` when present (as Prometheus does).' },
        instance: { type: 'boolean', default: true, description: 'Set label `instance` from `service.instance.id`.' },
        promote: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          default: [],
          description: 'Resource attribute names copied to labels as they are; `*` matches any characters (`k8s.*`). Datapoint attributes of the same name win.',
        },
        prefix: { type: 'string', default: '', description: 'Prefix put before promoted attribute names, e.g. `resource_`.' },
        target_info: {
          type: 'boolean',
          default: true,
          description: 'Per resource, one `target_info` gauge (value 1) labelled `job`/`instance` and every resource attribute not used for them, as Prometheus does.',
        },
      },
    },
    scope_labels: {
      type: 'boolean',
      default: true,
      description: 'Label every series with its instrumentation scope: `otel_scope_name`, `otel_scope_version` (when non-empty) and `otel_scope_<key>` per scope attribute.',
    },
    series_cache_size: {
      type: 'integer',
      minimum: 1,
      default: 100000,
      description: 'Distinct attribute sets remembered for the fast series lookup; past it the cache is dropped and refills.',
    },
  },
};
