import assert from 'node:assert/strict';
import { compressSync } from 'snappy';
import { MetricBatchBuilder, MetricKind, NO_LABELS, SeriesTable, labelsFromRecord } from '../../../src/api';
import { WriteRequestEncoder } from '../../../src/prometheus/remote-write';
import { startCollector } from '../../../src/testing/collector';
import { startCountingSink } from '../../helpers/counting-sink';

const SERIES = 40;
const SENDERS = 4;
const REQUESTS_PER_SENDER = 30;

/** Per sender, its series' requests: sender s owns series s, s + SENDERS, ...; one sample per series per request. */
function senderBodies(): Buffer[][] {
  const table = new SeriesTable();
  const ids = Array.from({ length: SERIES }, (_, i) => table.intern('relay_metric', labelsFromRecord({ i: String(i) }), MetricKind.GAUGE));
  const encoder = new WriteRequestEncoder(table, { externalLabels: NO_LABELS, addSuffixes: false, sendMetadata: false });
  return Array.from({ length: SENDERS }, (_, s) => Array.from({ length: REQUESTS_PER_SENDER }, (_, r) => {
    const b = new MetricBatchBuilder();
    for (let i = s; i < SERIES; i += SENDERS) b.push(ids[i]!, 1_700_000_000_000 + r * 1000, r);
    const batch = b.build();
    return compressSync(encoder.encode(batch, Uint32Array.from({ length: batch.length }, (_, k) => k)));
  }));
}

async function post(url: string, body: Buffer): Promise<number> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' } });
  return res.status;
}

describe('remote write relay with sending_queue.merge_max_items', () => {
  it('joins the requests that waited in the queue into fewer, larger ones: nothing lost, every series in order', async () => {
    // The backend refuses everything until the senders are done: meanwhile their requests pile
    // up in the queue (however slow this machine), and the calls after it carry several of them.
    let sendersDone = false;
    const sink = await startCountingSink({ respond: () => (sendersDone ? undefined : { status: 503 }) });
    const collector = await startCollector(`
receivers:
  prometheus_remote_write:
    endpoint: 127.0.0.1:0
exporters:
  prometheus_remote_write:
    endpoint: ${sink.url}
    add_metric_suffixes: false
    num_shards: 2
    sending_queue: { num_consumers: 1, queue_size: 1000, merge_max_items: 60 }
    retry_on_failure: { initial_interval: 100ms, max_interval: 200ms }
    # The refusals must not open the breaker (30 s) on a slow machine.
    breaker: { failure_threshold: 1000 }
service:
  pipelines:
    metrics:
      receivers: [prometheus_remote_write]
      exporters: [prometheus_remote_write]
`);
    try {
      const url = `http://${(collector.instance('prometheus_remote_write') as { address(): string }).address()}/api/v1/write`;
      // Each sender posts its requests one after the other, as a remote-write shard does.
      await Promise.all(senderBodies().map(async (own) => {
        for (const body of own) assert.equal(await post(url, body), 204);
      }));
      sendersDone = true;
      await sink.waitFor(SERIES * REQUESTS_PER_SENDER);
      assert.equal(sink.samples, SERIES * REQUESTS_PER_SENDER);
      assert.equal(sink.series, SERIES);
      assert.equal(sink.outOfOrder, 0);
      // One call per request makes at least one backend request per request received (120);
      // calls of up to 60 samples (six requests) need about 20, each one request per shard
      // (sink.requests counts the accepted ones).
      const unmerged = SENDERS * REQUESTS_PER_SENDER;
      assert.ok(sink.requests < unmerged / 2, `${sink.requests} requests reached the backend`);
    } finally {
      await collector.shutdown();
      await sink.stop();
    }
  });
});
