import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { isStaleMarker, labelsToRecord, SeriesTable, type MetricBatch } from '../../../src/api';
import { CollectingOutput, FakeClock, receiverContext } from '../../../src/testing';
import { plugin } from '../../../receivers/prometheus';
import type { PrometheusReceiverConfig, ScrapeConfig } from '../../../receivers/prometheus/config';
import type { PrometheusReceiver } from '../../../receivers/prometheus/receiver';
import { PATIENCE_MS } from '../../helpers/wait-until';

/** A target whose response the test sets; records the request headers and path. */
class FakeTarget {
  body = '';
  /** When set, the metrics are served only at this path and every other path answers 404. */
  onlyPath: string | undefined;
  lastPath = '';
  contentType = 'text/plain; version=0.0.4';
  gzip = false;
  hang = false;
  status = 200;
  lastHeaders: IncomingHttpHeaders = {};
  private server: Server | undefined;
  address = '';

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.lastHeaders = req.headers;
      this.lastPath = req.url ?? '';
      if (this.hang) return;
      if (this.onlyPath !== undefined && req.url !== this.onlyPath) {
        res.statusCode = 404;
        res.end('404 page not found\n');
        return;
      }
      res.statusCode = this.status;
      res.setHeader('Content-Type', this.contentType);
      if (this.gzip) {
        res.setHeader('Content-Encoding', 'gzip');
        res.end(gzipSync(this.body));
      } else res.end(this.body);
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    this.address = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

function setup(target: string, over: Partial<ScrapeConfig> = {}) {
  const clock = new FakeClock();
  const series = new SeriesTable();
  const output = new CollectingOutput(['metrics']);
  const config: PrometheusReceiverConfig = {
    scrape_configs: [{
      job_name: 'fake', static_configs: [{ targets: [target], labels: { team: 'core' } }], scrape_interval: '15s', scrape_timeout: '5s',
      metrics_path: '/metrics', honor_labels: false, scheme: 'http', body_size_limit: '50MiB', ...over,
    }],
  };
  const ctx = receiverContext({ config, clock, series, output });
  const receiver = plugin.create(ctx) as PrometheusReceiver;
  const sink = output.sink('metrics');
  const last = () => sink.batches.at(-1) as MetricBatch;
  const values = (b: MetricBatch) => {
    const out: Record<string, number> = {};
    for (let i = 0; i < b.length; i++) {
      const info = series.info(b.series[i]!);
      const l = labelsToRecord(info.labels);
      out[`${info.name}${l['x'] ? `/${l['x']}` : ''}`] = b.values[i]!;
    }
    return out;
  };
  return { clock, series, receiver, sink, last, values, ctx };
}

describe('prometheus receiver', function () {
  this.timeout(2 * PATIENCE_MS);
  let target = new FakeTarget();
  beforeEach(() => {
    target = new FakeTarget();
    return target.start();
  });
  afterEach(() => target.stop());

  it('scrapes on start and every interval, reports up/scrape_duration_seconds/scrape_samples_scraped', async () => {
    target.body = 'a{x="1"} 1\na{x="2"} 2\n';
    const { clock, receiver, sink, last, values, series } = setup(target.address);
    await receiver.start!();
    await receiver.scrapeNow();
    assert.equal(sink.batches.length, 1);
    const v = values(last());
    assert.equal(v['a/1'], 1);
    assert.equal(v['up'], 1);
    assert.equal(v['scrape_samples_scraped'], 2);
    assert.ok(v['scrape_duration_seconds']! >= 0);
    const labels = labelsToRecord(series.info(last().series[0]!).labels);
    assert.deepEqual(labels, { instance: target.address, job: 'fake', team: 'core', x: '1' });
    assert.match(String(target.lastHeaders.accept), /^application\/openmetrics-text;version=1\.0\.0,.*text\/plain;version=0\.0\.4/);
    target.body = 'a{x="1"} 10\n';
    await clock.tick(15_000);
    await sink.waitFor(sink.items + 1, PATIENCE_MS); // a real HTTP scrape
    assert.equal(sink.batches.length, 2);
    const second = last();
    assert.equal(values(second)['a/1'], 10);
    assert.ok(isStaleMarker(values(second)['a/2']!), 'vanished series is marked stale');
    await receiver.shutdown!();
  });

  it('marks everything stale and reports up=0 when the target goes down, up=1 when back', async () => {
    target.body = 'a{x="1"} 1\n';
    const { receiver, last, values } = setup(target.address);
    await receiver.scrapeNow();
    const port = Number(target.address.split(':')[1]);
    await target.stop();
    await receiver.scrapeNow();
    assert.equal(values(last())['up'], 0);
    assert.ok(isStaleMarker(values(last())['a/1']!));
    await target.start(port);
    await receiver.scrapeNow();
    assert.equal(values(last())['up'], 1);
    assert.equal(values(last())['a/1'], 1);
    await receiver.shutdown!();
    assert.ok(isStaleMarker(values(last())['a/1']!), 'shutdown marks series stale');
    assert.ok(isStaleMarker(values(last())['up']!));
  });

  it('scrapes metrics_path: a target serving only /custom/metrics is up with it and down (404) with the default', async () => {
    // The other tests' target answers on any path, so they cannot tell whether metrics_path is used.
    target.onlyPath = '/custom/metrics';
    target.body = 'a{x="1"} 7\n';
    const custom = setup(target.address, { metrics_path: '/custom/metrics' });
    await custom.receiver.scrapeNow();
    assert.equal(target.lastPath, '/custom/metrics');
    const v = custom.values(custom.last());
    assert.equal(v['up'], 1);
    assert.equal(v['a/1'], 7);
    assert.equal(v['scrape_samples_scraped'], 1);
    await custom.receiver.shutdown!();

    const byDefault = setup(target.address);
    await byDefault.receiver.scrapeNow();
    assert.equal(target.lastPath, '/metrics');
    assert.equal(byDefault.values(byDefault.last())['up'], 0, 'the default /metrics gets a 404');
    assert.equal(byDefault.values(byDefault.last())['a/1'], undefined, 'and no samples');
    await byDefault.receiver.shutdown!();
  });

  it('honor_labels: the target\'s own job and instance are kept when true, renamed exported_* when false', async () => {
    target.body = 'a{x="1",job="inner",instance="app:1"} 1\n';
    const labelsOf = async (honor: boolean) => {
      const s = setup(target.address, { honor_labels: honor });
      await s.receiver.scrapeNow();
      const b = s.last();
      const row = Array.from({ length: b.length }, (_, i) => i).find((i) => s.series.info(b.series[i]!).name === 'a')!;
      await s.receiver.shutdown!();
      return labelsToRecord(s.series.info(b.series[row]!).labels);
    };
    assert.deepEqual(await labelsOf(true), { instance: 'app:1', job: 'inner', team: 'core', x: '1' });
    assert.deepEqual(await labelsOf(false), { exported_instance: 'app:1', exported_job: 'inner', instance: target.address, job: 'fake', team: 'core', x: '1' });
  });

  it('reads OpenMetrics by Content-Type and gzip bodies', async () => {
    target.contentType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
    target.gzip = true;
    target.body = '# TYPE c counter\nc_total 5\nc_created 1.5e9\n# EOF\n';
    const { receiver, last, values } = setup(target.address);
    await receiver.scrapeNow();
    const v = values(last());
    assert.equal(v['c_total'], 5);
    assert.equal(v['c_created'], undefined);
    await receiver.shutdown!();
  });

  it('fails the scrape when the body exceeds body_size_limit, on HTTP errors and on timeout', async () => {
    target.body = `big ${'1'.repeat(200)}\n`;
    const small = setup(target.address, { body_size_limit: 100 });
    await small.receiver.scrapeNow();
    assert.equal(small.values(small.last())['up'], 0);
    await small.receiver.shutdown!();

    const failing = setup(target.address);
    target.status = 500;
    await failing.receiver.scrapeNow();
    assert.equal(failing.values(failing.last())['up'], 0);
    await failing.receiver.shutdown!();

    target.hang = true;
    const slow = setup(target.address, { scrape_timeout: '2s' });
    const done = slow.receiver.scrapeNow();
    await new Promise((r) => setTimeout(r, 50));
    await slow.clock.tick(2_000);
    await done;
    assert.equal(slow.values(slow.last())['up'], 0);
    await slow.receiver.shutdown!();
  });

  it('drops and counts a scrape the pipeline refuses', async () => {
    target.body = 'a 1\n';
    const { receiver, sink, ctx } = setup(target.address);
    sink.failWith = new Error('full');
    await receiver.scrapeNow();
    assert.equal(ctx.telemetry.drops.get('refused'), 4, 'a, up, scrape_duration_seconds, scrape_samples_scraped');
    sink.failWith = undefined;
    await receiver.shutdown!();
  });

  it('sends the stale markers of a refused scrape with the next one', async () => {
    target.body = 'a 1\nb 2\n';
    const { receiver, sink, ctx } = setup(target.address);
    await receiver.scrapeNow();
    target.body = 'a 3\n'; // b vanishes, in a scrape the pipeline refuses
    sink.failWith = new Error('full');
    await receiver.scrapeNow();
    sink.failWith = undefined;
    target.body = 'a 4\n';
    await receiver.scrapeNow();
    const last = sink.batches[sink.batches.length - 1] as MetricBatch;
    const stale = [...last.series].filter((_, i) => isStaleMarker(last.values[i]!)).map((id) => ctx.series.info(id).name);
    assert.deepEqual(stale, ['b']);
    assert.equal(ctx.telemetry.drops.get('refused'), 4, 'a and the three reports; the stale marker went later');
    await receiver.shutdown!();
  });
});
