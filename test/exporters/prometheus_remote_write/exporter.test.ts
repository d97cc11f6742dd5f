import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricBatchBuilder, MetricKind, RetryableError, SeriesTable, labelsFromRecord, type MetricBatch } from '../../../src/api';
import { createTestContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../exporters/prometheus_remote_write';
import type { RemoteWriteExporterConfig } from '../../../exporters/prometheus_remote_write/config';
import { startCountingSink, type CountingSink, type CountingSinkOptions } from '../../helpers/counting-sink';

function setup(partial: Record<string, unknown>, series = new SeriesTable()) {
  const config = pluginConfig<RemoteWriteExporterConfig>(plugin, partial);
  const ctx = createTestContext({ kind: 'exporter', config, series });
  return { ctx, exporter: plugin.create(ctx) };
}

/** `n` series `m{i}` × `perSeries` samples, rows interleaved (t0 all series, t1 all series...). */
function gauges(table: SeriesTable, n: number, perSeries: number): MetricBatch {
  const ids = Array.from({ length: n }, (_, i) => table.intern('m', labelsFromRecord({ i: String(i) }), MetricKind.GAUGE));
  const b = new MetricBatchBuilder();
  for (let t = 0; t < perSeries; t++) for (const id of ids) b.push(id, 1000 + t * 1000, t);
  return b.build();
}

describe('prometheus_remote_write exporter', () => {
  let sink: CountingSink | undefined;
  const sinkWith = async (opts: CountingSinkOptions) => (sink = await startCountingSink(opts));
  afterEach(async () => {
    await sink?.stop();
    sink = undefined;
  });

  it('sends snappy protobuf with the remote write headers; samples arrive exactly', async () => {
    const s = await sinkWith({ record: true });
    const table = new SeriesTable();
    const { exporter } = setup({ endpoint: s.url, headers: { 'X-Scope-OrgID': 'tenant-1' }, external_labels: { cluster: 'c' } }, table);
    const id = table.intern('http.requests', labelsFromRecord({ code: '200' }), MetricKind.COUNTER);
    const b = new MetricBatchBuilder();
    b.push(id, 1_700_000_000_000, 5);
    b.push(id, 1_700_000_015_000, 7.25);
    await exporter.consume(b.build());
    await exporter.shutdown?.();
    assert.deepEqual(s.recorded, [
      { labels: { __name__: 'http_requests_total', cluster: 'c', code: '200' }, timestamp: 1_700_000_000_000, value: 5 },
      { labels: { __name__: 'http_requests_total', cluster: 'c', code: '200' }, timestamp: 1_700_000_015_000, value: 7.25 },
    ]);
    const h = s.lastHeaders!;
    assert.equal(h['content-encoding'], 'snappy');
    assert.equal(h['content-type'], 'application/x-protobuf');
    assert.equal(h['x-prometheus-remote-write-version'], '0.1.0');
    assert.match(String(h['user-agent']), /^Nissa\//);
    assert.equal(h['x-scope-orgid'], 'tenant-1');
  });

  it('splits by shard and max_samples_per_send, keeping every series in timestamp order', async () => {
    const s = await sinkWith({});
    const table = new SeriesTable();
    const { exporter } = setup({ endpoint: s.url, num_shards: 4, max_samples_per_send: 7 }, table);
    await exporter.consume(gauges(table, 25, 6));
    await exporter.shutdown?.();
    assert.equal(s.samples, 150);
    assert.equal(s.series, 25);
    assert.equal(s.outOfOrder, 0);
    assert.ok(s.requests >= Math.ceil(150 / 7), `requests ${s.requests}`);
  });

  it('rejects 503 with RetryableError carrying Retry-After, and a retry skips requests already sent', async () => {
    const s = await sinkWith({ respond: (n) => (n === 2 ? { status: 503, headers: { 'Retry-After': '7' }, body: 'overloaded' } : undefined) });
    const table = new SeriesTable();
    const { exporter, ctx } = setup({ endpoint: s.url, num_shards: 1, max_samples_per_send: 2 }, table);
    const batch = gauges(table, 1, 6);
    await assert.rejects(exporter.consume(batch), (err: unknown) => err instanceof RetryableError && err.retryAfterMs === 7000 && /503/.test(err.message));
    assert.equal(s.samples, 2);
    await exporter.consume(batch);
    assert.equal(s.samples, 6, 'no sample sent twice, none lost');
    assert.equal(s.outOfOrder, 0);
    assert.equal(ctx.telemetry.drops.size, 0);
    await exporter.shutdown?.();
  });

  it('treats 429 as retryable, with an HTTP-date Retry-After', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const s = await sinkWith({ respond: () => ({ status: 429, headers: { 'Retry-After': at } }) });
    const table = new SeriesTable();
    const { exporter } = setup({ endpoint: s.url }, table);
    await assert.rejects(exporter.consume(gauges(table, 1, 1)), (err: unknown) => err instanceof RetryableError && err.retryAfterMs! > 20_000 && err.retryAfterMs! <= 30_000);
    await exporter.shutdown?.();
  });

  it('drops on 400: counts the samples, logs the start of the body once per status per minute', async () => {
    const huge = 'bad sample: out of order '.repeat(10_000);
    const s = await sinkWith({ respond: () => ({ status: 400, body: huge }) });
    const table = new SeriesTable();
    const { exporter, ctx } = setup({ endpoint: s.url, max_response_body_size: 100 }, table);
    await exporter.consume(gauges(table, 3, 1));
    await exporter.consume(gauges(table, 3, 2));
    assert.equal(ctx.telemetry.drops.get('http_4xx'), 9);
    const warns = ctx.logger.lines.filter((l) => l.level === 'warn');
    assert.equal(warns.length, 1);
    assert.equal(warns[0]!.fields!['status'], 400);
    const logged = String(warns[0]!.fields!['response']);
    assert.ok(logged.startsWith('bad sample: out of order') && logged.length <= 100, logged);
    await exporter.shutdown?.();
  });

  it('times out a request that gets no answer (retryable)', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const table = new SeriesTable();
    const { exporter } = setup({ endpoint: `http://127.0.0.1:${port}/api/v1/write`, request_timeout: '200ms' }, table);
    try {
      await assert.rejects(exporter.consume(gauges(table, 1, 1)), (err: unknown) => err instanceof RetryableError && err.code === 'ERR_TIMEOUT');
    } finally {
      await exporter.shutdown?.();
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('rejects as retryable when the endpoint refuses connections, with one shard or with many', async () => {
    const s = await startCountingSink();
    const url = s.url;
    await s.stop();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const table = new SeriesTable();
      const { exporter } = setup({ endpoint: url, num_shards: 8 }, table);
      // 1 series: one shard; 2000: every shard (blocks of 64 ids), each started a turn after the
      // previous one, which may fail meanwhile.
      for (const n of [1, 2000]) {
        await assert.rejects(exporter.consume(gauges(table, n, 1)), (err: unknown) => err instanceof RetryableError && /ECONNREFUSED/.test(err.message));
      }
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(unhandled, [], 'a shard failing while the next waits its turn is handled, not left to crash the process');
      await exporter.shutdown?.();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('drops delta counters (Prometheus needs cumulative values) and sends the rest', async () => {
    const s = await sinkWith({});
    const table = new SeriesTable();
    const { exporter, ctx } = setup({ endpoint: s.url }, table);
    const d = table.intern('hits', labelsFromRecord({}), MetricKind.DELTA_COUNTER);
    const g = table.intern('temp', labelsFromRecord({}), MetricKind.GAUGE);
    const b = new MetricBatchBuilder();
    b.push(d, 1, 1);
    b.push(g, 1, 2);
    await exporter.consume(b.build());
    assert.equal(ctx.telemetry.drops.get('delta_temporality'), 1);
    assert.equal(s.samples, 1);
    await exporter.shutdown?.();
  });
});
