import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';
import { durationSchema, parseEndpoint, type JsonSchema, type Logger } from '../api';

/** The connection keys shared by the `bus` receiver and exporter; keys as in YAML. */
export interface RedisConnectionConfig {
  readonly endpoint: string;
  readonly username: string;
  readonly password: string;
  readonly db: number;
  readonly tls: {
    readonly enabled: boolean;
    readonly ca_file: string;
    readonly cert_file: string;
    readonly key_file: string;
    readonly server_name: string;
    readonly insecure_skip_verify: boolean;
  };
  readonly connect_timeout: string | number;
}

const str = (description: string): JsonSchema => ({ type: 'string', default: '', description });

/** Schema properties of {@link RedisConnectionConfig}, spread into each plugin's schema. */
export function redisConnectionSchema(): Record<string, JsonSchema> {
  return {
    endpoint: { type: 'string', minLength: 1, default: '127.0.0.1:6379', description: 'Redis `host:port`.' },
    username: str('Redis ACL user name; empty for the default user.'),
    password: str('Redis password (use `${env:REDIS_PASSWORD}`); never logged.'),
    db: { type: 'integer', minimum: 0, default: 0, description: 'Redis database number.' },
    tls: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'TLS to Redis.',
      properties: {
        enabled: { type: 'boolean', default: false, description: 'Connect with TLS.' },
        ca_file: str('PEM file of the CA that signed the server certificate; empty for the system CAs.'),
        cert_file: str('PEM client certificate, for mutual TLS.'),
        key_file: str('PEM key of the client certificate.'),
        server_name: str('Server name to verify (SNI); empty for the endpoint host.'),
        insecure_skip_verify: { type: 'boolean', default: false, description: 'Do not verify the server certificate (tests only).' },
      },
    },
    connect_timeout: durationSchema('5s', 'Timeout of one connection attempt.'),
  };
}

/** Reconnect delay of attempt `n` (1-based): exponential from 50 ms, capped at 5 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(5000, 50 * 2 ** Math.min(attempt - 1, 7));
}

/**
 * ioredis options for one connection. Reads PEM files, so call it in `start`, never in `create`.
 * `offlineQueue: false` makes commands fail at once while disconnected (the exporter turns that
 * into a RetryableError); with `true` they wait for the reconnection (the receiver's acks).
 */
export async function redisOptions(c: RedisConnectionConfig, name: string, offlineQueue: boolean, connectTimeoutMs: number): Promise<RedisOptions> {
  const { host, port } = parseEndpoint(c.endpoint);
  const options: RedisOptions = {
    host,
    port,
    db: c.db,
    connectionName: name,
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    enableOfflineQueue: offlineQueue,
    // Commands wait for the reconnection instead of failing after N attempts: nothing is given up.
    maxRetriesPerRequest: offlineQueue ? null : 0,
    retryStrategy: reconnectDelay,
    enableReadyCheck: true,
  };
  if (c.username) options.username = c.username;
  if (c.password) options.password = c.password;
  if (c.tls.enabled) options.tls = await tlsOptions(c.tls, host);
  return options;
}

async function tlsOptions(t: RedisConnectionConfig['tls'], host: string): Promise<ConnectionOptions> {
  const read = (file: string): Promise<Buffer | undefined> => (file ? readFile(file) : Promise.resolve(undefined));
  const [ca, cert, key] = await Promise.all([read(t.ca_file), read(t.cert_file), read(t.key_file)]);
  const options: ConnectionOptions = { servername: t.server_name || host, rejectUnauthorized: !t.insecure_skip_verify, minVersion: 'TLSv1.2' };
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (key) options.key = key;
  return options;
}

/** Redis replies that mean "try again later" rather than "this command is wrong". */
const TRANSIENT_REPLY = /^(OOM|BUSY|LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/** True for errors that a later attempt may not meet: lost connections and transient server states. */
export function isTransientRedisError(err: unknown): boolean {
  if (!(err instanceof Error)) return true;
  if (err.name !== 'ReplyError') return true;
  return TRANSIENT_REPLY.test(err.message);
}

/** Logs the start of an outage (with the last error) and the restoration, never once per reconnect attempt. */
export function logConnectionState(redis: { on(event: string, fn: (arg: unknown) => void): unknown }, logger: Logger, connection: string): void {
  let down = false;
  let lastError = '';
  redis.on('error', (err) => (lastError = (err as Error).message));
  redis.on('reconnecting', () => {
    if (!down) logger.warn('Redis connection lost; reconnecting with backoff', { connection, error: lastError || 'connection closed' });
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis connection restored', { connection });
    down = false;
  });
}
