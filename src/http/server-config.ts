import type { JsonSchema } from '../api/plugin';
import { sizeSchema } from '../api/duration';

/**
 * The HTTP server part of a receiver's config, shared by every HTTP receiver. Plugins spread
 * {@link httpServerSchemaProperties} into their `configSchema.properties` and extend their typed
 * config from this interface.
 */
export interface HttpServerConfig {
  /** `host:port`; an empty host means 127.0.0.1, port 0 an ephemeral port. */
  endpoint: string;
  max_request_body_size: string | number;
  tls?: { cert_file: string; key_file: string; client_ca_file?: string };
  auth?: { bearer_token?: string };
}

/** The JSON Schema properties of {@link HttpServerConfig}, with `defaultEndpoint` as the endpoint default. */
export function httpServerSchemaProperties(defaultEndpoint: string): Record<string, JsonSchema> {
  return {
    endpoint: {
      type: 'string',
      default: defaultEndpoint,
      pattern: '^(\\[[0-9a-fA-F:.]+\\]|[^:\\[\\]]*):[0-9]{1,5}$',
      description:
        'host:port to listen on. Binds loopback by default; use 0.0.0.0:<port> to accept remote clients (then set tls and auth). Port 0 picks a free port.',
    },
    max_request_body_size: sizeSchema(
      '20MiB',
      'Largest request body accepted, both as sent and after gzip/deflate decompression; larger requests get 413.',
    ),
    tls: {
      type: 'object',
      description: 'Serve HTTPS instead of HTTP. Files are read at start.',
      additionalProperties: false,
      required: ['cert_file', 'key_file'],
      properties: {
        cert_file: { type: 'string', description: 'PEM certificate (chain) of the server.' },
        key_file: { type: 'string', description: 'PEM private key of the server.' },
        client_ca_file: {
          type: 'string',
          description: 'PEM CA bundle; when set, clients must present a certificate it signed (mutual TLS).',
        },
      },
    },
    auth: {
      type: 'object',
      description: 'Client authentication.',
      additionalProperties: false,
      properties: {
        bearer_token: {
          type: 'string',
          minLength: 1,
          description:
            'When set, requests must carry `Authorization: Bearer <token>` (401 otherwise). Use ${env:VAR} substitution; the token is never logged.',
        },
      },
    },
  };
}
