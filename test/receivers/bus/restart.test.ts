import { strict as assert } from 'node:assert';
import { busEvent, eventually, pendingCount, publishEvents, requestIdsOf } from '../../bus/fixtures';
import { PATIENCE_MS } from '../../helpers/wait-until';
import { busReceiver, withRedis } from './harness';

const STREAM = 'telemetry.seed.health';
const TOTAL = 3000;

describe('bus receiver across a Redis restart', function () {
  this.timeout(4 * PATIENCE_MS);
  const env = withRedis({ appendonly: true });

  it('reconnects with backoff under load and loses nothing', async () => {
    const { receiver, output } = busReceiver(env.server(), { topics: [STREAM], count: 100 });
    await receiver.start();
    const producer = env.server().client();
    try {
      const events = Array.from({ length: TOTAL }, (_, i) => busEvent(`r${i}`));
      const publishing = (async () => {
        for (let i = 0; i < TOTAL; i += 100) {
          // A chunk in flight during the restart is re-sent after it: at least once, maybe twice.
          await publishEvents(producer, STREAM, events.slice(i, i + 100));
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const sink = output.sink('events');
      await sink.waitFor(TOTAL / 3, PATIENCE_MS);
      await env.server().restart();
      await publishing;
      await eventually(() => new Set(requestIdsOf(sink.batches)).size === TOTAL, PATIENCE_MS, `all ${TOTAL} events`);
      await eventually(async () => (await pendingCount(env.redis(), STREAM)) === 0, PATIENCE_MS, 'everything acknowledged');
      assert.equal(new Set(requestIdsOf(sink.batches)).size, TOTAL);
    } finally {
      producer.disconnect();
      await receiver.shutdown();
    }
  });
});
