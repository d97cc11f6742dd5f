import type Redis from 'ioredis';
import { CollectingOutput, pluginConfig, receiverContext } from '../../../src/testing';
import { plugin } from '../../../receivers/bus';
import type { BusReceiverConfig } from '../../../receivers/bus/config';
import { BusReceiver } from '../../../receivers/bus/receiver';
import { RedisServer } from '../../helpers/redis-server';

/** A bus receiver on a test Redis with a collecting output; short timings for tests. */
export function busReceiver(server: RedisServer, config: Record<string, unknown> = {}, output = new CollectingOutput()) {
  const cfg = pluginConfig<BusReceiverConfig>(plugin, {
    endpoint: server.endpoint, block: '100ms', claim_interval: '100ms', min_idle_time: '300ms', retry_initial_interval: '20ms', retry_max_interval: '100ms', ...config,
  });
  const ctx = receiverContext({ id: 'bus', config: cfg, output });
  return { ctx, output, receiver: new BusReceiver(ctx) };
}

/** Starts a Redis for a describe block and gives each test a client; stops both after. */
export function withRedis(opts: { appendonly?: boolean } = {}): { server: () => RedisServer; redis: () => Redis } {
  let server: RedisServer;
  let redis: Redis;
  before(async () => (server = await RedisServer.start(opts)));
  after(async () => server.destroy());
  beforeEach(async () => {
    redis = server.client();
    await redis.flushall();
  });
  afterEach(() => redis.disconnect());
  return { server: () => server, redis: () => redis };
}
