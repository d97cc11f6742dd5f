import type { JsonSchema } from '../../src/api';
import { headersSchema, httpUrlSchema, maxResponseBodySizeSchema, requestTimeoutSchema, tlsClientSchema, type TlsClientConfig } from '../../src/http/client';

export interface OtlpHttpExporterConfig {
  endpoint: string;
  metrics_endpoint: string;
  logs_endpoint: string;
  encoding: 'proto' | 'json';
  compression: 'gzip' | 'none';
  headers: Record<string, string>;
  request_timeout: string | number;
  max_items_per_request: number;
  labels_to_resource: boolean;
  max_response_body_size: number;
  tls: TlsClientConfig;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['endpoint'],
  properties: {
    endpoint: httpUrlSchema('Base URL of the OTLP/HTTP server, e.g. http://127.0.0.1:4318; metrics go to <endpoint>/v1/metrics, events (as logs) to <endpoint>/v1/logs.'),
    metrics_endpoint: {
      type: 'string',
      default: '',
      description: 'Full URL for metrics, used as is instead of <endpoint>/v1/metrics (empty: derived from endpoint).',
    },
    logs_endpoint: {
      type: 'string',
      default: '',
      description: 'Full URL for events as logs, used as is instead of <endpoint>/v1/logs (empty: derived from endpoint).',
    },
    encoding: { type: 'string', enum: ['proto', 'json'], default: 'proto', description: 'Body encoding: protobuf (application/x-protobuf) or OTLP/JSON (application/json).' },
    compression: { type: 'string', enum: ['gzip', 'none'], default: 'gzip', description: 'Content-Encoding of request bodies.' },
    headers: headersSchema('Extra request headers (e.g. Authorization, api keys). Never logged.'),
    request_timeout: requestTimeoutSchema('10s'),
    max_items_per_request: {
      type: 'integer',
      minimum: 1,
      default: 10000,
      description: 'Most data points or log records in one request; bigger batches are sent as several requests, in order.',
    },
    labels_to_resource: {
      type: 'boolean',
      default: true,
      description: 'Send labels `job` and `instance` as resource attributes `service.name` and `service.instance.id`, and `otel_scope_*` labels as the instrumentation scope (the inverse of what the otlp receiver and Prometheus do), not as point attributes.',
    },
    max_response_body_size: maxResponseBodySizeSchema('Bytes of a response body read (for partial_success and error messages); the rest is discarded unread.'),
    tls: tlsClientSchema,
  },
};
