import assert from 'node:assert/strict';
import { request } from 'node:http';
import { compressSync } from 'snappy';
import { CircuitOpenError, MetricKind, PermanentError, RetryableError, isStaleMarker, type MetricBatch } from '../../../src/api';
import { CollectingOutput, receiverContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../receivers/prometheus_remote_write';
import type { RemoteWriteReceiverConfig } from '../../../receivers/prometheus_remote_write/config';
import { notUtf8LabelValue, remoteWriteBody, writeRequestBytes } from '../../helpers/remote-write-body';

const STALE_HEX = '020000000000f07f';


const SAMPLE = {
  timeseries: [
    { labels: [{ name: '__name__', value: 'up' }, { name: 'instance', value: 'a:1' }, { name: 'job', value: 'p' }], samples: [{ value: 1, timestamp: 1_700_000_000_000 }, { value: 0, timestamp: 1_700_000_015_000 }] },
    { labels: [{ name: '__name__', value: 'reqs_total' }], samples: [{ value: 12.5, timestamp: 1_700_000_000_000 }] },
  ],
};

describe('prometheus_remote_write receiver', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  async function start(partial: Record<string, unknown> = {}) {
    const output = new CollectingOutput(['metrics']);
    const config = pluginConfig<RemoteWriteReceiverConfig>(plugin, { endpoint: '127.0.0.1:0', ...partial });
    const ctx = receiverContext({ config, output });
    const r = plugin.create(ctx);
    await r.start!();
    stop = async () => r.shutdown!();
    const url = `http://${r.address!()}/api/v1/write`;
    const post = (data: Buffer, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', body: data, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0', ...headers } });
    return { ctx, output, sink: output.sink('metrics'), post, url };
  }

  it('defaults to 127.0.0.1:19291 (not Prometheus’s 9090)', () => {
    assert.equal(pluginConfig<RemoteWriteReceiverConfig>(plugin, {}).endpoint, '127.0.0.1:19291');
  });

  it('answers 204 and forwards samples with names, labels, values, timestamps and kinds', async () => {
    const { post, sink, ctx } = await start();
    const res = await post(remoteWriteBody(SAMPLE));
    assert.equal(res.status, 204);
    const batch = sink.batches[0] as MetricBatch;
    const rows = Array.from({ length: batch.length }, (_, i) => {
      const info = ctx.series.info(batch.series[i]!);
      return [info.name, info.labels.join(','), info.kind, batch.timestamps[i], batch.values[i]];
    });
    assert.deepEqual(rows, [
      ['up', 'instance,a:1,job,p', MetricKind.GAUGE, 1_700_000_000_000, 1],
      ['up', 'instance,a:1,job,p', MetricKind.GAUGE, 1_700_000_015_000, 0],
      ['reqs_total', '', MetricKind.COUNTER, 1_700_000_000_000, 12.5],
    ]);
  });

  it('keeps the stale marker', async () => {
    const { post, sink } = await start();
    // protobufjs would canonicalise the NaN: patch the value bytes of the encoded sample.
    const raw = writeRequestBytes({ timeseries: [{ labels: [{ name: '__name__', value: 'x' }], samples: [{ value: 1.5, timestamp: 1 }] }] });
    const at = raw.indexOf(Buffer.from('000000000000f83f', 'hex'));
    Buffer.from(STALE_HEX, 'hex').copy(raw, at);
    assert.equal((await post(compressSync(raw))).status, 204);
    assert.ok(isStaleMarker((sink.batches[0] as MetricBatch).values[0]!));
  });

  for (const [what, data, headers, status] of [
    ['a body that is not snappy', Buffer.from('not snappy at all'), {}, 400],
    ['snappy that is not a WriteRequest', compressSync(Buffer.from([0x0a, 0x05, 0x01])), {}, 400],
    ['a series without __name__', remoteWriteBody({ timeseries: [{ labels: [{ name: 'a', value: 'b' }], samples: [{ value: 1, timestamp: 1 }] }] }), {}, 400],
    ['a label value that is not UTF-8', compressSync(notUtf8LabelValue()), {}, 400],
    ['a wrong content type', remoteWriteBody(SAMPLE), { 'Content-Type': 'application/json' }, 415],
    ['no snappy content-encoding', writeRequestBytes(SAMPLE), { 'Content-Encoding': 'identity' }, 415],
    ['remote write 2.0', remoteWriteBody(SAMPLE), { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' }, 415],
  ] as const) {
    it(`answers ${status} to ${what}, forwarding nothing`, async () => {
      const { post, sink } = await start();
      const res = await post(data as Buffer, headers as Record<string, string>);
      assert.equal(res.status, status, await res.text());
      assert.equal(sink.items, 0);
    });
  }

  it('answers requests that overlap another one as it answers them one by one (one decoder and builder serve them all)', async () => {
    const { post, sink, url } = await start();
    // A request whose body is still arriving: the receiver is handling it while the others come.
    const slowBody = remoteWriteBody(SAMPLE);
    const slow = request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'Content-Length': slowBody.length } });
    const slowStatus = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      slow.on('error', reject);
    });
    slow.write(slowBody.subarray(0, 4));
    await new Promise((r) => setTimeout(r, 50));
    const bad = Buffer.from('not snappy at all');
    const sent = Array.from({ length: 6 }, (_, i) => (i % 3 === 2 ? bad : remoteWriteBody(SAMPLE)));
    const statuses = await Promise.all(sent.map(async (data) => (await post(data)).status));
    assert.deepEqual(statuses, sent.map((data) => (data === bad ? 400 : 204)));
    slow.end(slowBody.subarray(4));
    assert.equal(await slowStatus, 204);
    assert.equal(sink.items, 5 * 3, 'three samples from each good request');
  });

  it('answers 413 when the snappy header announces more than the inflation bound', async () => {
    const { post, sink } = await start({ max_request_body_size: '1KiB', max_uncompressed_ratio: 2 });
    const big = remoteWriteBody({
      timeseries: [{ labels: [{ name: '__name__', value: 'x' }, { name: 'pad', value: 'a'.repeat(5000) }], samples: [{ value: 1, timestamp: 1 }] }],
    });
    assert.ok(big.length < 1024);
    assert.equal((await post(big)).status, 413);
    assert.equal(sink.items, 0);
  });

  it('maps pipeline back-pressure to 429/503 with Retry-After, and bad data to 400', async () => {
    const { post, sink, ctx } = await start();
    sink.failWith = new RetryableError('queue full', { code: 'ERR_QUEUE_FULL', retryAfterMs: 3000 });
    let res = await post(remoteWriteBody(SAMPLE));
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '3');
    sink.failWith = new CircuitOpenError('exporter', 10_000);
    res = await post(remoteWriteBody(SAMPLE));
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '10');
    sink.failWith = new PermanentError('bad data');
    assert.equal((await post(remoteWriteBody(SAMPLE))).status, 400);
    sink.failWith = undefined;
    ctx.host.setMode('emergency');
    res = await post(remoteWriteBody(SAMPLE));
    assert.equal(res.status, 503);
    assert.ok(res.headers.get('retry-after'));
  });

  it('hands over a refused request sent again as is without decoding it again, and decodes anything else', async () => {
    const { post, sink, ctx } = await start();
    const { WriteRequestDecoder } = await import('../../../src/prometheus/remote-write');
    let decodes = 0;
    const decode = WriteRequestDecoder.prototype.decode;
    WriteRequestDecoder.prototype.decode = function (this: InstanceType<typeof WriteRequestDecoder>, ...args: Parameters<typeof decode>) {
      decodes++;
      return decode.apply(this, args);
    };
    try {
      sink.failWith = new RetryableError('queue full', { code: 'ERR_QUEUE_FULL', retryAfterMs: 1000 });
      assert.equal((await post(remoteWriteBody(SAMPLE))).status, 429);
      sink.failWith = undefined;
      assert.equal((await post(remoteWriteBody(SAMPLE))).status, 204, 'the same bytes again');
      assert.equal(decodes, 1);
      const resent = sink.batches[0] as MetricBatch;
      assert.deepEqual(Array.from(resent.values), [1, 0, 12.5]);
      assert.equal(ctx.series.info(resent.series[2]!).name, 'reqs_total');
      // Refused, then a different request: decoded as usual, and the kept one stays (a sender's
      // shards are refused together and retry in any order).
      sink.failWith = new RetryableError('queue full', { code: 'ERR_QUEUE_FULL', retryAfterMs: 1000 });
      assert.equal((await post(remoteWriteBody(SAMPLE))).status, 429);
      sink.failWith = undefined;
      const other = { timeseries: [{ labels: [{ name: '__name__', value: 'other' }], samples: [{ value: 7, timestamp: 5 }] }] };
      assert.equal((await post(remoteWriteBody(other))).status, 204);
      assert.equal((await post(remoteWriteBody(SAMPLE))).status, 204);
      assert.equal(decodes, 3);
      // Refused, then the table frees series ids: the kept batch could name the wrong series.
      sink.failWith = new RetryableError('queue full', { code: 'ERR_QUEUE_FULL', retryAfterMs: 1000 });
      assert.equal((await post(remoteWriteBody(SAMPLE))).status, 429);
      sink.failWith = undefined;
      ctx.series.sweep(Number.MAX_SAFE_INTEGER);
      assert.equal((await post(remoteWriteBody(SAMPLE))).status, 204);
      assert.equal(decodes, 5);
      const last = sink.batches[sink.batches.length - 1] as MetricBatch;
      assert.equal(ctx.series.info(last.series[0]!).name, 'up');
    } finally {
      WriteRequestDecoder.prototype.decode = decode;
    }
  });
});
