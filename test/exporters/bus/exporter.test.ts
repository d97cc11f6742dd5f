import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertBatch, eventBatch, RetryableError } from '../../../src/api';
import { createTestContext, pluginConfig, startCollector } from '../../../src/testing';
import { plugin } from '../../../exporters/bus';
import type { BusExporterConfig } from '../../../exporters/bus/config';
import { BusExporter } from '../../../exporters/bus/exporter';
import { encodeEvents, nissaType } from '../../../src/nissa-codec';
import { busEvent, eventually } from '../../bus/fixtures';
import { send } from '../../http/http-client';
import { RedisServer } from '../../helpers/redis-server';
import { requestIdsInFile } from '../../helpers/request-ids-in-file';
import { PATIENCE_MS } from '../../helpers/wait-until';

function exporter(endpoint: string, config: Record<string, unknown> = {}): BusExporter {
  return new BusExporter(createTestContext({ id: 'bus', kind: 'exporter', config: pluginConfig<BusExporterConfig>(plugin, { endpoint, ...config }) }));
}

async function ready(e: BusExporter, batch = eventBatch([])): Promise<void> {
  await eventually(async () => e.consume(batch).then(() => true, () => false), PATIENCE_MS, 'exporter connected');
}

describe('bus exporter', function () {
  this.timeout(3 * PATIENCE_MS);
  let server: RedisServer;
  before(async () => (server = await RedisServer.start()));
  after(async () => server.destroy());

  it('publishes one entry per item to the stream of its topic, in protobuf or JSON', async () => {
    const redis = server.client();
    const proto = exporter(server.endpoint);
    const json = exporter(server.endpoint, { format: 'json', alerts_topic: 'ops.alerts' });
    await Promise.all([proto.start(), json.start()]);
    try {
      await ready(proto);
      await ready(json);
      const a = busEvent('x1', 'topic.a');
      const b = busEvent('x2', 'topic.b');
      await proto.consume(eventBatch([a, b]));
      await json.consume(alertBatch([{ alertName: 'SeedDown', state: 'firing', severity: 'critical', labels: { seed: 's' }, annotations: {}, startsAtMs: 5, endsAtMs: 0 }]));
      const [[, fa]] = (await redis.xrangeBuffer('topic.a', '-', '+')) as [Buffer, Buffer[]][];
      const decoded = nissaType('nissa.v1.TelemetryEvent').decode(fa![1]!) as unknown as { request_id: string };
      assert.equal(decoded.request_id, 'x1');
      assert.equal(await redis.xlen('topic.b'), 1);
      const [[, alert]] = (await redis.xrange('ops.alerts', '-', '+')) as [string, string[]][];
      assert.deepEqual(JSON.parse(alert![1]!), { alert_name: 'SeedDown', state: 'ALERT_STATE_FIRING', severity: 'critical', labels: { seed: 's' }, starts_at_ms: '5' });
    } finally {
      await Promise.all([proto.shutdown(), json.shutdown()]);
      redis.disconnect();
    }
  });

  it('trims streams approximately to max_len', async () => {
    const redis = server.client();
    const e = exporter(server.endpoint, { topic: 'trimmed', max_len: 100 });
    await e.start();
    try {
      await ready(e);
      for (let i = 0; i < 10; i++) await e.consume(eventBatch(Array.from({ length: 100 }, (_, j) => busEvent(`t${i}-${j}`))));
      const len = await redis.xlen('trimmed');
      assert.ok(len >= 100 && len < 1000, `length ${len}`);
    } finally {
      await e.shutdown();
      redis.disconnect();
    }
  });

  it('refuses with RetryableError while Redis is unreachable', async () => {
    const e = exporter('127.0.0.1:1');
    await e.start();
    try {
      await assert.rejects(e.consume(eventBatch([busEvent('z')])), RetryableError);
    } finally {
      await e.shutdown();
    }
  });

  it('round trip: one Nissa exports to the bus, another consumes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nissa-bus-rt-'));
    const out = join(dir, 'out.jsonl');
    const producer = await startCollector(`
receivers:
  nissa: { endpoint: 127.0.0.1:0 }
exporters:
  bus: { endpoint: ${server.endpoint} }
service:
  pipelines:
    events: { receivers: [nissa], exporters: [bus] }
`);
    const consumer = await startCollector(`
receivers:
  bus: { endpoint: ${server.endpoint}, topics: [roundtrip.events], block: 100ms }
exporters:
  file: { path: ${JSON.stringify(out)}, flush_interval: 50ms }
service:
  pipelines:
    events: { receivers: [bus], exporters: [file] }
`);
    try {
      const events = Array.from({ length: 30 }, (_, i) => busEvent(`rt${i}`, 'roundtrip.events'));
      const address = producer.instance('nissa')!.address!();
      const res = await send({ address, path: '/v1/nissa/events', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(encodeEvents(events)) });
      assert.equal(res.status, 200);
      const ids = (): Promise<string[]> => requestIdsInFile(out);
      await eventually(async () => (await ids()).length >= 30, PATIENCE_MS, 'round trip');
      assert.deepEqual((await ids()).sort(), events.map((e) => e.requestId).sort());
    } finally {
      await producer.shutdown();
      await consumer.shutdown();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
