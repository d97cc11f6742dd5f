import { durationSchema, type JsonSchema } from '../../api';

/** Schema fragments every HTTP exporter's config shares; descriptions stay the plugin's own. */

/** `headers`: extra request headers, a string map. */
export function headersSchema(description: string): JsonSchema {
  return { type: 'object', additionalProperties: { type: 'string' }, default: {}, description };
}

/** `request_timeout`: time limit of one request (a duration). */
export function requestTimeoutSchema(defaultValue: string): JsonSchema {
  return durationSchema(defaultValue, 'Time limit of one HTTP request; on expiry the batch is retried. Keep the runtime `timeout` at least this long.');
}

/** `max_response_body_size`: bytes of a response body read; the rest is discarded unread. */
export function maxResponseBodySizeSchema(description: string): JsonSchema {
  return { type: 'integer', minimum: 0, default: 4096, description };
}

/** An http(s) URL the exporter sends to (`endpoint` and per-signal overrides). */
export function httpUrlSchema(description: string): JsonSchema {
  return { type: 'string', pattern: '^https?://', description };
}
