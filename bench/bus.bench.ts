import type Redis from 'ioredis';
import { loadavg } from 'node:os';
import { DEFAULT_DECODE_LIMITS, decodeEvents, encodeEvents } from '../src/nissa-codec';
import { splitBatch } from '../src/bus/proto-framing';
import { startCollector } from '../src/testing';
import { busEvent } from '../test/bus/fixtures';
import { RedisServer } from '../test/helpers/redis-server';
import { measure, report } from './report';

export const title = 'bus receiver: pre-filled Redis streams → bus receiver → ttl → nop (4 streams, real redis-server)';

const STREAMS = ['bench.a', 'bench.b', 'bench.c', 'bench.d'];
const ENTRIES_PER_STREAM = Number(process.env['BUS_BENCH_ENTRIES'] ?? 25_000);
/** Events per entry to run (`BUS_BENCH_PER_ENTRY=100` for one case, e.g. under `--cpu-prof`). */
const PER_ENTRY = (process.env['BUS_BENCH_PER_ENTRY'] ?? '1,10,100').split(',').map(Number);
/** The receiver's read size and reads in flight (`count`, `max_in_flight`). */
const COUNT = Number(process.env['BUS_BENCH_COUNT'] ?? 2000);
const IN_FLIGHT = Number(process.env['BUS_BENCH_IN_FLIGHT'] ?? 3);

/** Entries per stream for packs of `perEntry` events: packs of 100 get a tenth (as many events as packs of 10). */
function entriesPerStream(perEntry: number): number {
  return perEntry >= 100 ? Math.ceil(ENTRIES_PER_STREAM / 10) : ENTRIES_PER_STREAM;
}

/** Fills every stream with entries of `perEntry` events each (1: a TelemetryEvent, more: an EventBatch). */
async function fill(redis: Redis, prefix: string, perEntry: number, entries = entriesPerStream(perEntry)): Promise<void> {
  for (const stream of STREAMS) {
    for (let i = 0; i < entries; i += 2000) {
      const p = redis.pipeline();
      for (let j = i; j < Math.min(entries, i + 2000); j++) {
        const events = Array.from({ length: perEntry }, (_, k) => busEvent(`${prefix}-${stream}-${j}-${k}`, stream));
        const batch = Buffer.from(encodeEvents(events));
        p.xadd(prefix + stream, '*', 'payload', perEntry === 1 ? splitBatch(batch)[0]! : batch);
      }
      await p.exec();
    }
  }
}

/** Redis alone: XREADGROUP (COUNT 2000, all streams) and XACK, no decoding: the ceiling on this machine. */
async function redisOnly(redis: Redis, prefix: string): Promise<number> {
  const keys = STREAMS.map((s) => prefix + s);
  for (const k of keys) await redis.xgroup('CREATE', k, 'raw', '0');
  const start = process.hrtime.bigint();
  let entries = 0;
  for (;;) {
    const reply = (await redis.callBuffer('XREADGROUP', 'GROUP', 'raw', 'c', 'COUNT', 2000, 'STREAMS', ...keys, ...keys.map(() => '>'))) as [Buffer, [Buffer, Buffer[]][]][] | null;
    if (!reply) break;
    const p = redis.pipeline();
    for (const [stream, list] of reply) {
      entries += list.length;
      p.xack(stream, 'raw', ...list.map((e) => e[0]));
    }
    void p.exec();
  }
  return entries / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Events per second through a collector reading the streams until the group has read and acknowledged everything. */
interface Run {
  readonly rate: number;
  /** Events per CPU second of this process (collector) and of redis-server: less sensitive to a busy machine than wall time. */
  readonly perNodeCpuSecond: number;
  readonly perRedisCpuSecond: number;
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (k: string): number => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return get('used_cpu_user') + get('used_cpu_sys');
}

async function throughCollector(server: RedisServer, redis: Redis, prefix: string, perEntry: number, useTtl: boolean, entries = entriesPerStream(perEntry)): Promise<Run> {
  const collector = await startCollector(`
receivers:
  bus: { endpoint: ${server.endpoint}, topics: [${STREAMS.join(', ')}], stream_prefix: "${prefix}", count: ${COUNT}, max_in_flight: ${IN_FLIGHT}, block: 100ms }
processors:
  ttl: {}
exporters:
  nop: {}
service:
  pipelines:
    events: { receivers: [bus], processors: [${useTtl ? 'ttl' : ''}], exporters: [nop] }
`);
  try {
    // Timed from the end of the collector's start (config, plugins, connections); what was
    // already acknowledged by then is not counted.
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const redisCpu = await redisCpuSeconds(redis);
    const before = await acknowledged(redis, prefix);
    const total = STREAMS.length * entries;
    while ((await acknowledged(redis, prefix)) < total) await new Promise((r) => setTimeout(r, 10));
    const events = (total - before) * perEntry;
    const used = process.cpuUsage(cpu);
    return {
      rate: events / (Number(process.hrtime.bigint() - start) / 1e9),
      perNodeCpuSecond: events / ((used.user + used.system) / 1e6),
      perRedisCpuSecond: events / ((await redisCpuSeconds(redis)) - redisCpu),
    };
  } finally {
    await collector.shutdown();
  }
}

/** Entries read by the group and no longer pending, over all streams. */
async function acknowledged(redis: Redis, prefix: string): Promise<number> {
  let n = 0;
  for (const s of STREAMS) {
    const info = (await redis.xinfo('GROUPS', prefix + s)) as unknown[][];
    const g = info.find((row) => row[1] === 'nissa-observability');
    if (!g) continue; // the receiver creates the group once connected
    n += Number(g[g.indexOf('entries-read') + 1]) - Number(g[g.indexOf('pending') + 1]);
  }
  return n;
}

/** The shared codec alone on the same events (validating decode of a 2000-event batch). */
function codecCeiling(): number {
  const events = Array.from({ length: 2000 }, (_, i) => busEvent(`c${i}`));
  const bytes = Buffer.from(encodeEvents(events));
  return measure(events.length, () => void decodeEvents(bytes, DEFAULT_DECODE_LIMITS, Date.now()), 1000);
}

export async function run(): Promise<void> {
  const server = await RedisServer.start();
  const redis = server.client();
  const ceiling = codecCeiling();
  try {
    // A first collector run compiles the receiver's, codec's and runtime's hot code, so that the
    // measured runs (with and without ttl) compare like with like.
    await fill(redis, 'warm:', 10, 5000);
    await throughCollector(server, redis, 'warm:', 10, true, 5000);
    await redis.flushall();
    for (const perEntry of PER_ENTRY) {
      const prefix = `p${perEntry}:`;
      const raw = `raw${perEntry}:`;
      await fill(redis, prefix, perEntry);
      await fill(redis, raw, perEntry);
      const baseline = (await redisOnly(redis, raw)) * perEntry;
      const result = await throughCollector(server, redis, prefix, perEntry, true);
      // The receiver's own share: the same entries without the ttl processor (its de-duplication
      // map of every request id costs as much as reading and decoding).
      await fill(redis, `n${perEntry}:`, perEntry);
      const noTtl = await throughCollector(server, redis, `n${perEntry}:`, perEntry, false);
      report({
        name: `bus → ttl → nop, ${perEntry} event${perEntry > 1 ? 's' : ''} per entry`,
        rate: result.rate,
        unit: 'events',
        baseline: { name: 'redis XREADGROUP+XACK alone, no decoding', rate: baseline },
        target: 250_000,
        extra: {
          entries: STREAMS.length * entriesPerStream(perEntry),
          'events per nissa CPU-s': result.perNodeCpuSecond,
          'events per redis CPU-s': result.perRedisCpuSecond,
          'bus → nop (no ttl) wall': noTtl.rate,
          'bus → nop per nissa CPU-s': noTtl.perNodeCpuSecond,
          'codec decodeEvents alone': ceiling,
          ...(baseline < 250_000 ? { note: 'Redis alone (the baseline) is below the target: out of reach with this many events per entry' } : {}),
          'load average': loadavg()[0]!.toFixed(1),
        },
      });
      await redis.flushall();
    }
  } finally {
    redis.disconnect();
    await server.destroy();
  }
}
