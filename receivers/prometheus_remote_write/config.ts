import type { JsonSchema } from '../../src/api';
import { httpServerSchemaProperties, type HttpServerConfig } from '../../src/http';

/** Not 9090: that is Prometheus's own port, and Nissa often runs next to it. */
export const DEFAULT_ENDPOINT = '127.0.0.1:19291';

export interface RemoteWriteReceiverConfig extends HttpServerConfig {
  max_uncompressed_ratio: number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...httpServerSchemaProperties(DEFAULT_ENDPOINT),
    max_uncompressed_ratio: {
      type: 'integer', minimum: 1, default: 10,
      description: 'A request may inflate to at most max_request_body_size × this; the snappy header is checked before inflating (413 above).',
    },
  },
};
