import assert from 'node:assert/strict';
import { MetricBatchBuilder, MetricKind, SeriesTable, labelsFromRecord } from '../../../src/api';
import { createTestContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../exporters/prometheus_remote_write';
import type { RemoteWriteExporterConfig } from '../../../exporters/prometheus_remote_write/config';
import { startCountingSink } from '../../helpers/counting-sink';

describe('prometheus_remote_write exporter: retries that overlap a running attempt', () => {
  it('never skips a request when several timed-out retries wait on the same attempt and one of them fails', async () => {
    // Requests 1 and 4 fail: the first attempt fails at once, then two retries that waited on it
    // would both send chunk 0, both advance the shard, and the one whose next request fails
    // leaves a chunk behind that the other one counts as sent.
    const sink = await startCountingSink({ record: true, respond: (n) => (n === 1 || n === 4 ? { status: 503 } : undefined) });
    try {
      const table = new SeriesTable();
      const config = pluginConfig<RemoteWriteExporterConfig>(plugin, { endpoint: sink.url, num_shards: 1, max_samples_per_send: 1 });
      const exporter = plugin.create(createTestContext({ kind: 'exporter', config, series: table }));
      const id = table.intern('m', labelsFromRecord({}), MetricKind.GAUGE);
      const b = new MetricBatchBuilder();
      for (let t = 0; t < 4; t++) b.push(id, 1000 + t, t);
      const batch = b.build();
      // What the runtime does when its `timeout` fires while an export call still runs: call again.
      const results = await Promise.allSettled([exporter.consume(batch), exporter.consume(batch), exporter.consume(batch)]);
      assert.ok(results.some((r) => r.status === 'fulfilled'), 'one of the calls completes the batch');
      await exporter.shutdown?.();
      const sent = new Set(sink.recorded.map((s) => s.timestamp));
      assert.deepEqual([...sent].sort(), [1000, 1001, 1002, 1003], 'a resolved consume means every sample was sent');
      assert.equal(sink.outOfOrder, 0);
    } finally {
      await sink.stop();
    }
  });
});
