import type { JsonSchema } from '../../src/api';
import { headersSchema, httpUrlSchema, maxResponseBodySizeSchema, requestTimeoutSchema } from '../../src/http/client';
import { labelMapSchema } from '../../src/prometheus/label-map-schema';

export interface RemoteWriteExporterConfig {
  endpoint: string;
  max_samples_per_send: number;
  num_shards: number;
  request_timeout: string | number;
  headers: Record<string, string>;
  external_labels: Record<string, string>;
  add_metric_suffixes: boolean;
  send_metadata: boolean;
  max_response_body_size: number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['endpoint'],
  properties: {
    endpoint: httpUrlSchema('Remote write URL, e.g. http://prometheus:9090/api/v1/write (Prometheus started with --web.enable-remote-write-receiver).'),
    max_samples_per_send: {
      type: 'integer', minimum: 1, default: 10000,
      description: 'Most samples in one request (histograms and summaries count every expanded sample).',
    },
    num_shards: {
      type: 'integer', minimum: 1, maximum: 255, default: 4,
      description: 'Concurrent requests. A series always goes to the same shard and each shard sends in order, so per-series order is kept.',
    },
    request_timeout: requestTimeoutSchema('5s'),
    headers: headersSchema('Extra request headers (e.g. Authorization, X-Scope-OrgID). Never logged.'),
    external_labels: labelMapSchema('Labels added to every series that does not already have them.'),
    add_metric_suffixes: {
      type: 'boolean', default: true,
      description: 'Append unit words (`_seconds`) and `_total` to counters (OTel naming). Turn off to relay Prometheus data unchanged.',
    },
    send_metadata: {
      type: 'boolean', default: false,
      description: 'Also send type, help and unit of each metric family present in a request.',
    },
    max_response_body_size: maxResponseBodySizeSchema('Bytes of an error response kept for the log; the rest is discarded unread.'),
  },
};
