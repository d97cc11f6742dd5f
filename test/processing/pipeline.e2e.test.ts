import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../src/testing';

type Running = Awaited<ReturnType<typeof startCollector>>;

const attr = (key: string, value: string | number): Record<string, unknown> => ({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } });

/** An OTLP/JSON logs request: one record per topic, `request_id` = `r<i>`; the second one lacks its request id. */
function logsRequest(topics: string[], nowNs: string): string {
  const logRecords = topics.map((topic, i) => ({
    timeUnixNano: nowNs,
    severityNumber: 9,
    body: { stringValue: `event ${i}` },
    attributes: [attr('topic', topic), attr('epoch', 7), ...(i === 1 ? [] : [attr('request_id', `r${i}`)])],
  }));
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [attr('service.name', 'kasmina')] }, scopeLogs: [{ scope: { name: 'bus' }, logRecords }] }] });
}

/** An OTLP/JSON metrics request: one gauge with `users` distinct values of label `user`, plus a bad name. */
function metricsRequest(users: number, nowNs: string): string {
  const dataPoints = [];
  for (let i = 0; i < users; i++) dataPoints.push({ asDouble: i, timeUnixNano: nowNs, attributes: [attr('user', `u${i}`)] });
  return JSON.stringify({
    resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ metrics: [
      { name: 'sessions', gauge: { dataPoints } },
      { name: 'bad.name', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: nowNs }] } },
    ] }] }],
  });
}

async function post(base: string, path: string, body: string): Promise<number> {
  const res = await fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}

describe('processors chained in a running collector: otlp → validate, ttl, enrich, cardinality, batch, route → file', function () {
  this.timeout(20_000);
  let collector: Running | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await collector?.shutdown();
    collector = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('validates, enriches, de-duplicates a replayed request, caps series and routes by topic', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nissa-processors-e2e-'));
    const file = (name: string): string => join(dir!, `${name}.jsonl`);
    collector = await startCollector(`
receivers:
  otlp:
    endpoint: 127.0.0.1:0
processors:
  validate:
    on_invalid: dead_letter
  enrich:
    actions:
      - { key: env, action: insert, value: prod }
    promote_resource_attributes: ["service.*"]
  cardinality:
    max_series: 5
    action: overflow
  ttl: {}
  batch:
    timeout: 50ms
connectors:
  route:
    table:
      - { match: { topic: "*.kernel.*" }, pipelines: [events/kernels] }
    default_pipelines: [events/rest]
    dead_letter_from: [validate]
exporters:
  file/metrics: { path: ${JSON.stringify(file('metrics'))} }
  file/kernels: { path: ${JSON.stringify(file('kernels'))} }
  file/rest: { path: ${JSON.stringify(file('rest'))} }
service:
  pipelines:
    metrics: { receivers: [otlp], processors: [validate, ttl, enrich, cardinality, batch], exporters: [file/metrics] }
    events: { receivers: [otlp], processors: [validate, enrich, ttl, batch], exporters: [route] }
    events/kernels: { receivers: [route], exporters: [file/kernels] }
    events/rest: { receivers: [route], exporters: [file/rest] }
`);
    const base = `http://${(collector.instance('otlp') as { address(): string }).address()}`;
    const nowNs = `${BigInt(Date.now()) * 1_000_000n}`;
    const topics = ['compilation.kernel.ready', 'telemetry.seed.health', 'validation.kernel.characterized', 'system.events.epoch'];
    for (let i = 0; i < 2; i++) {
      assert.equal(await post(base, '/v1/logs', logsRequest(topics, nowNs)), 200);
      assert.equal(await post(base, '/v1/metrics', metricsRequest(20, nowNs)), 200);
    }
    await collector.shutdown();
    collector = undefined;

    const read = (name: string): Record<string, any>[] => readFileSync(file(name), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const kernels = read('kernels');
    assert.deepEqual(kernels.map((e) => e.topic ?? e.attributes?.topic).sort(), ['compilation.kernel.ready', 'validation.kernel.characterized'], 'sent twice, written once');
    const rest = read('rest');
    const restText = JSON.stringify(rest);
    const topicOf = (e: Record<string, any>): string => JSON.stringify(e).match(/(telemetry\.seed\.health|system\.events\.epoch)/)![0];
    assert.deepEqual(rest.map(topicOf).sort(), ['system.events.epoch', 'telemetry.seed.health', 'telemetry.seed.health'],
      'the valid event once (its replay de-duplicated), the invalid one (no request_id) dead-lettered each time it came');
    assert.match(restText, /kasmina/, 'service.name promoted into attributes');
    assert.match(restText, /prod/, 'env inserted');
    const points = read('metrics');
    assert.equal(points.length, 20, 'the replayed request is de-duplicated; bad.name is dropped');
    const overflow = points.filter((p) => p.labels?.otel_metric_overflow === 'true');
    assert.equal(overflow.length, 15);
    assert.ok(points.filter((p) => !p.labels?.otel_metric_overflow).every((p) => p.labels?.env === 'prod'));
  });
});
