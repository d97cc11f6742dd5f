import { durationSchema, parseDuration, parseSize, sizeSchema, type JsonSchema } from '../../src/api';
import { httpServerSchemaProperties, type HttpServerConfig } from '../../src/http/server-config';
import type { DecodeLimits } from '../../src/nissa-codec/limits';

/** The `nissa` receiver's config after defaults; keys as in YAML. */
export interface NissaReceiverConfig extends HttpServerConfig {
  max_age: string | number;
  max_future: string | number;
  max_name_length: number;
  max_labels: number;
  max_label_value_length: number;
  max_attributes: number;
  max_string_length: number;
  max_body_size: string | number;
  max_buckets: number;
  max_depth: number;
}

const count = (def: number, description: string): JsonSchema => ({ type: 'integer', minimum: 1, default: def, description });

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...httpServerSchemaProperties('127.0.0.1:4319'),
    max_age: durationSchema('24h', 'Points, events, alerts (starts_at_ms) and commands older than this are refused (invalid_timestamp).'),
    max_future: durationSchema('10m', 'Timestamps further than this in the future are refused (clock skew allowance).'),
    max_name_length: count(256, 'Longest metric name, label name, topic, event type, alert name, command, target or request id, in UTF-8 bytes.'),
    max_labels: count(64, 'Most labels per metric point or alert (and annotations, command args).'),
    max_label_value_length: count(2048, 'Longest label value, in UTF-8 bytes.'),
    max_attributes: count(128, 'Most attributes per event (and elements of one nested array or key-value list).'),
    max_string_length: count(16384, 'Longest other string (attribute, annotation and argument values), in UTF-8 bytes.'),
    max_body_size: sizeSchema('64KiB', 'Largest encoded event body.'),
    max_buckets: count(512, 'Most histogram buckets or summary quantiles per point.'),
    max_depth: count(8, 'Deepest nesting of arrays and key-value lists in attribute values and bodies.'),
  },
};

export function decodeLimitsOf(c: NissaReceiverConfig): DecodeLimits {
  return {
    maxAgeMs: parseDuration(c.max_age),
    maxFutureMs: parseDuration(c.max_future),
    maxNameLength: c.max_name_length,
    maxLabels: c.max_labels,
    maxLabelValueLength: c.max_label_value_length,
    maxAttributes: c.max_attributes,
    maxStringLength: c.max_string_length,
    maxBodyBytes: parseSize(c.max_body_size),
    maxBuckets: c.max_buckets,
    maxDepth: c.max_depth,
  };
}
