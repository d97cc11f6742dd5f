import { strict as assert } from 'node:assert';
import { RetryableError, type ControlBatch } from '../../../src/api';
import { encodeEvents } from '../../../src/nissa-codec';
import { busEvent, eventItemBytes, eventually, pendingCount, publishEvents, requestIdsOf } from '../../bus/fixtures';
import { PATIENCE_MS } from '../../helpers/wait-until';
import { busReceiver, withRedis } from './harness';

const HEALTH = 'telemetry.seed.health';

describe('bus receiver', function () {
  // Several waits of up to PATIENCE_MS each on a loaded machine.
  this.timeout(4 * PATIENCE_MS);
  const env = withRedis();

  it('creates the consumer group with MKSTREAM on every topic, with a unique consumer name', async () => {
    const { receiver } = busReceiver(env.server());
    await receiver.start();
    try {
      assert.equal(receiver.streams.length, 8, 'the default topics');
      await eventually(async () => (await env.redis().exists(...receiver.streams)) === 8, PATIENCE_MS, 'streams created');
      for (const stream of receiver.streams) {
        const groups = (await env.redis().xinfo('GROUPS', stream)) as unknown[][];
        assert.equal(groups[0]![1], 'nissa-observability', stream);
      }
      assert.match(receiver.consumer, /^.+-\d+-[0-9a-f]{8}$/);
    } finally {
      await receiver.shutdown();
    }
  });

  it('delivers protobuf and JSON payloads (items and batches) and acknowledges them', async () => {
    const { receiver, output } = busReceiver(env.server(), { topics: [HEALTH, 'control.kasmina.commands'] });
    await receiver.start();
    try {
      const r = env.redis();
      await r.xadd(HEALTH, '*', 'payload', eventItemBytes(busEvent('p1')));
      await r.xadd(HEALTH, '*', 'payload', Buffer.from(encodeEvents([busEvent('p2'), busEvent('p3')])));
      await r.xadd(HEALTH, '*', 'payload', JSON.stringify({ topic: HEALTH, event_type: 'e', timestamp_ms: Date.now(), request_id: 'j1' }));
      await r.xadd(HEALTH, '*', 'payload', JSON.stringify({ events: [{ topic: HEALTH, event_type: 'e', timestamp_ms: Date.now(), request_id: 'j2' }] }));
      await r.xadd('control.kasmina.commands', '*', 'payload', JSON.stringify({ command: 'flush', issued_at_ms: Date.now(), request_id: 'c1' }));
      await r.xadd(HEALTH, '*', 'payload', JSON.stringify({ name: 'seed_health_score', type: 'METRIC_TYPE_GAUGE', value: 0.9, timestamp_ms: Date.now() }));
      await output.sink('events').waitFor(5, PATIENCE_MS);
      await output.sink('control').waitFor(1, PATIENCE_MS);
      await output.sink('metrics').waitFor(1, PATIENCE_MS);
      assert.deepEqual(requestIdsOf(output.sink('events').batches).sort(), ['j1', 'j2', 'p1', 'p2', 'p3']);
      assert.equal((output.sink('control').batches[0] as ControlBatch).items[0]!.command, 'flush');
      await eventually(async () => (await pendingCount(r, HEALTH)) === 0, PATIENCE_MS, 'acks');
    } finally {
      await receiver.shutdown();
    }
  });

  it('acknowledges only what the pipelines accepted: refused entries stay pending and arrive after recovery', async () => {
    const { receiver, output } = busReceiver(env.server(), { topics: [HEALTH] });
    const sink = output.sink('events');
    sink.failWith = new RetryableError('exporter down', { retryAfterMs: 10 });
    let refusals = 0;
    const consume = sink.consume.bind(sink);
    sink.consume = (b) => (sink.failWith ? (refusals++, consume(b)) : consume(b));
    await receiver.start();
    try {
      const r = env.redis();
      await publishEvents(r, HEALTH, Array.from({ length: 50 }, (_, i) => busEvent(`r${i}`)));
      await eventually(() => refusals >= 3, PATIENCE_MS, 'refusals');
      assert.equal(await pendingCount(r, HEALTH), 50, 'nothing acknowledged while refused');
      sink.failWith = undefined;
      await sink.waitFor(50, PATIENCE_MS);
      assert.equal(new Set(requestIdsOf(sink.batches)).size, 50);
      await eventually(async () => (await pendingCount(r, HEALTH)) === 0, PATIENCE_MS, 'acks');
    } finally {
      await receiver.shutdown();
    }
  });

  it('claims the pending entries of a consumer that died', async () => {
    const r = env.redis();
    await r.xgroup('CREATE', HEALTH, 'nissa-observability', '0', 'MKSTREAM');
    await publishEvents(r, HEALTH, Array.from({ length: 20 }, (_, i) => busEvent(`d${i}`)));
    const taken = await r.xreadgroup('GROUP', 'nissa-observability', 'dead-consumer', 'COUNT', 20, 'STREAMS', HEALTH, '>');
    assert.ok(taken, 'the dead consumer took the entries');
    const { receiver, output } = busReceiver(env.server(), { topics: [HEALTH], min_idle_time: '200ms' });
    await receiver.start();
    try {
      await output.sink('events').waitFor(20, PATIENCE_MS);
      assert.deepEqual(requestIdsOf(output.sink('events').batches).sort(), Array.from({ length: 20 }, (_, i) => `d${i}`).sort());
      await eventually(async () => (await pendingCount(r, HEALTH)) === 0, PATIENCE_MS, 'acks');
    } finally {
      await receiver.shutdown();
    }
  });

  it('moves a poison entry to the dead-letter stream after max_deliveries, without blocking the stream', async () => {
    const { receiver, output, ctx } = busReceiver(env.server(), { topics: [HEALTH], max_deliveries: 2, min_idle_time: '150ms' });
    await receiver.start();
    try {
      const r = env.redis();
      await publishEvents(r, HEALTH, [busEvent('before')]);
      const poisonId = await r.xadd(HEALTH, '*', 'payload', Buffer.from([0xff, 0xff, 0xff]));
      await publishEvents(r, HEALTH, [busEvent('after')]);
      await output.sink('events').waitFor(2, PATIENCE_MS);
      await eventually(async () => (await r.xlen('nissa.dead_letter')) === 1, PATIENCE_MS, 'dead letter');
      const [[, fields]] = (await r.xrange('nissa.dead_letter', '-', '+')) as [string, string[]][];
      const f = Object.fromEntries(fields!.reduce<[string, string][]>((acc, v, i, all) => (i % 2 === 0 ? [...acc, [v, all[i + 1]!]] : acc), []));
      assert.equal(f['stream'], HEALTH);
      assert.equal(f['id'], poisonId);
      assert.equal(f['deliveries'], '2');
      assert.match(f['error']!, /framing/);
      await eventually(async () => (await pendingCount(r, HEALTH)) === 0, PATIENCE_MS, 'poison acknowledged');
      assert.equal(ctx.telemetry.drops.get('dead_lettered'), 1);
      assert.deepEqual(requestIdsOf(output.sink('events').batches).sort(), ['after', 'before']);
    } finally {
      await receiver.shutdown();
    }
  });

  it('stops reading while the collector is in emergency mode', async () => {
    const { receiver, output, ctx } = busReceiver(env.server(), { topics: [HEALTH] });
    ctx.host.setMode('emergency');
    await receiver.start();
    try {
      const r = env.redis();
      await publishEvents(r, HEALTH, [busEvent('e1'), busEvent('e2')]);
      await new Promise((res) => setTimeout(res, 400));
      assert.equal(output.sink('events').items, 0);
      assert.equal(await pendingCount(r, HEALTH), 0, 'not even read');
      ctx.host.setMode('normal');
      await output.sink('events').waitFor(2, PATIENCE_MS);
    } finally {
      await receiver.shutdown();
    }
  });

  it('starts while Redis is down and reads once it is up', async () => {
    const { receiver, output } = busReceiver(env.server(), { topics: [HEALTH] });
    await env.server().stop();
    try {
      await receiver.start();
      await env.server().restart();
      await publishEvents(env.redis(), HEALTH, [busEvent('late')]);
      await output.sink('events').waitFor(1, PATIENCE_MS);
    } finally {
      await receiver.shutdown();
    }
  });

  it('re-creates a vanished stream and group and keeps reading', async () => {
    const { receiver, output } = busReceiver(env.server(), { topics: [HEALTH] });
    await receiver.start();
    try {
      const r = env.redis();
      await r.del(HEALTH);
      await new Promise((res) => setTimeout(res, 300));
      await eventually(async () => (await r.exists(HEALTH)) === 1, PATIENCE_MS, 'stream re-created');
      await publishEvents(r, HEALTH, [busEvent('after-delete')]);
      await output.sink('events').waitFor(1, PATIENCE_MS);
      assert.deepEqual(requestIdsOf(output.sink('events').batches), ['after-delete']);
    } finally {
      await receiver.shutdown();
    }
  });
});
