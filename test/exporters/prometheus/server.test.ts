import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { labelsFromRecord, MetricBatchBuilder, MetricKind, NO_LABELS, SeriesTable } from '../../../src/api';
import { createTestContext } from '../../../src/testing';
import { plugin } from '../../../exporters/prometheus';
import type { PrometheusExporter } from '../../../exporters/prometheus/exporter';
import { checkMetrics } from '../../helpers/promtool';
import { exporterConfig, richBatch } from './fixtures';

function start() {
  const series = new SeriesTable();
  const ctx = createTestContext({
    kind: 'exporter', series,
    config: exporterConfig({ const_labels: { 'deploy.env': 'test' } }),
  });
  return { series, exporter: plugin.create(ctx) as PrometheusExporter };
}

describe('prometheus exporter: http endpoint', function () {
  this.timeout(20_000);

  it('serves /metrics over http (gzip when accepted), 404 elsewhere, 405 for POST', async () => {
    const { series, exporter } = start();
    await exporter.start!();
    try {
      await exporter.consume(richBatch(series, Date.now()).batch);
      const base = `http://${exporter.address!()}`;
      const res = await fetch(`${base}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
      assert.match(await res.text(), /http_requests_total\{code="200",deploy_env="test"\} 42/);
      const om = await fetch(`${base}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
      assert.ok((await om.text()).endsWith('# EOF\n'));
      assert.equal((await fetch(`${base}/other`)).status, 404);
      assert.equal((await fetch(`${base}/metrics`, { method: 'POST', body: 'x' })).status, 405);
      const raw = await rawGet(exporter.address!(), { 'accept-encoding': 'gzip' });
      assert.equal(raw.headers['content-encoding'], 'gzip');
      assert.match(gunzipSync(raw.body).toString(), /rpc_duration_seconds_count/);
      const refused = await rawGet(exporter.address!(), { 'accept-encoding': 'gzip;q=0, deflate' });
      assert.equal(refused.headers['content-encoding'], undefined, 'gzip with q=0 is refused');
      assert.match(refused.body.toString(), /rpc_duration_seconds_count/);
    } finally {
      await exporter.shutdown!();
    }
  });

  it('concurrent scrapes during updates each see a consistent snapshot', async () => {
    const { series, exporter } = start();
    await exporter.start!();
    try {
      // 2000 series updated together to the same value: a scrape must never mix two updates.
      const ids = Array.from({ length: 2000 }, (_, i) => series.intern('consistent', labelsFromRecord({ i: String(i) }), MetricKind.GAUGE));
      const update = (v: number) => {
        const b = new MetricBatchBuilder(ids.length);
        for (const id of ids) b.push(id, Date.now(), v);
        return exporter.consume(b.build());
      };
      await update(0);
      const url = `http://${exporter.address!()}/metrics`;
      const scrapes = Array.from({ length: 20 }, () => fetch(url).then((r) => r.text()));
      for (let v = 1; v <= 50; v++) {
        await update(v);
        await new Promise((r) => setImmediate(r));
      }
      for (const body of await Promise.all(scrapes)) {
        const values = new Set(body.split('\n').filter((l) => l.startsWith('consistent{')).map((l) => l.split(' ')[1]));
        assert.equal(body.split('\n').filter((l) => l.startsWith('consistent{')).length, 2000);
        assert.equal(values.size, 1, `one value per scrape, got ${[...values].slice(0, 5)}`);
      }
    } finally {
      await exporter.shutdown!();
    }
  });

  it('promtool check metrics accepts a rich exposition (all kinds, odd names and label values)', async () => {
    const { series, exporter } = start();
    await exporter.consume(richBatch(series, Date.now()).batch);
    const extra = new MetricBatchBuilder();
    extra.push(series.intern('9lives.level', labelsFromRecord({ 'we!rd key': 'ünïcödé "q" \\ \n', 'a.b': 'x', 'a-b': 'y' }), MetricKind.UPDOWN_COUNTER), Date.now(), -3);
    extra.push(series.intern('inf_value', NO_LABELS, MetricKind.GAUGE), Date.now(), Infinity);
    extra.push(series.intern('nan_value', NO_LABELS, MetricKind.GAUGE), Date.now(), NaN);
    await exporter.consume(extra.build());
    const text = exporter.expose(undefined).body;
    assert.match(text, /_9lives.level\{a_b="y;x",deploy_env="test",we_rd_key="ünïcödé \\"q\\" \\\\ \\n"\} -3/);
    const verdict = await checkMetrics(text);
    assert.equal(verdict.ok, true, `${verdict.output}\n---\n${text}`);
  });
});

async function rawGet(address: string, headers: Record<string, string>): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http.get(`http://${address}/metrics`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
