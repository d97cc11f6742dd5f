import assert from 'node:assert/strict';
import { startCollector } from '../../../src/testing';
import type { Collector } from '../../../src/runtime/collector';
import { freePort } from '../../helpers/free-port';
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus-server';
import { eventually } from '../../prometheus/eventually';

/**
 * The full loop through the runtime: a real Prometheus's own /metrics → Nissa `prometheus`
 * receiver → metrics pipeline → Nissa `prometheus` exporter → scraped back by the same Prometheus.
 */
describe('prometheus receiver → prometheus exporter through a collector (sidecar)', function () {
  // Prometheus takes up to 20 s to be ready on a loaded machine, and each wait for a scrape up to 20 s.
  this.timeout(120_000);
  let prom: RunningPrometheus | undefined;
  let collector: Collector | undefined;

  afterEach(async () => {
    await collector?.shutdown();
    await prom?.stop();
  });

  it('re-exposes what it scraped, and Prometheus reads it back with exported_job', async () => {
    const nissaPort = await freePort();
    prom = await startPrometheus({ scrapeTargets: [{ job: 'nissa', targets: [`127.0.0.1:${nissaPort}`], interval: '1s' }] });
    collector = await startCollector(`
receivers:
  prometheus:
    scrape_configs:
      - job_name: prom
        scrape_interval: 1s
        static_configs: [{ targets: ['127.0.0.1:${prom.port}'] }]
exporters:
  prometheus:
    endpoint: 127.0.0.1:${nissaPort}
service:
  pipelines:
    metrics: { receivers: [prometheus], exporters: [prometheus] }
`);
    const exposition = await eventually(async () => {
      const text = await (await fetch(`http://127.0.0.1:${nissaPort}/metrics`)).text();
      return text.includes('prometheus_build_info{') ? text : undefined;
    });
    assert.match(exposition, new RegExp(`\\nup\\{instance="127\\.0\\.0\\.1:${prom.port}",job="prom"\\} 1\\n`));
    assert.match(exposition, /# TYPE prometheus_http_request_duration_seconds histogram\n/);
    const p = prom;
    const back = await eventually(async () => {
      const res = await p.query('prometheus_build_info{job="nissa",exported_job="prom"}');
      return res.length === 1 ? res[0]! : undefined;
    });
    assert.equal(back.value![1], '1');
    assert.equal(back.metric['exported_instance'], `127.0.0.1:${p.port}`);
  });
});
