import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startPrometheus } from '../helpers/prometheus-server';
import { checkMetrics } from '../helpers/promtool';

describe('test helpers: real prometheus and promtool', function () {
  this.timeout(30_000);

  it('starts, answers queries, restarts and cleans up', async () => {
    const prom = await startPrometheus({ remoteWriteReceiver: true });
    try {
      const res = await prom.query('vector(42)');
      assert.equal(res[0]!.value![1], '42');
      await prom.restart();
      const again = await prom.query('vector(1)');
      assert.equal(again[0]!.value![1], '1');
    } finally {
      await prom.stop();
    }
    assert.equal(existsSync(prom.dataDir), false);
  });

  it('promtool accepts a valid exposition and rejects a broken one', async () => {
    const good = await checkMetrics('# HELP a_total x\n# TYPE a_total counter\na_total 1\n');
    assert.equal(good.ok, true, good.output);
    const bad = await checkMetrics('# TYPE a counter\na{ 1\n');
    assert.equal(bad.ok, false);
  });
});
