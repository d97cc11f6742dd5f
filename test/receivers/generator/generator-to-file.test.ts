import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../../src/testing';
import { waitUntil } from '../../helpers/wait-until';

describe('generator → file in a running collector', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nissa-gen-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every generated metric point and event, all of it by the end of shutdown', async () => {
    const path = join(dir, 'out.jsonl');
    const collector = await startCollector(`
receivers:
  generator:
    metrics: { series: 20, kind: counter }
    events: { per_second: 100 }
    points_per_second: 2000
    interval: 50ms
exporters:
  file:
    path: ${JSON.stringify(path)}
    flush_interval: 1h
service:
  pipelines:
    metrics: { receivers: [generator], exporters: [file] }
    events: { receivers: [generator], exporters: [file] }
`);
    // A tick sends its 100 points, then its 5 events, and the next tick waits for it to finish: 105
    // items at the exporter mean one whole tick, however late a loaded machine ran the interval.
    await waitUntil(() => collector.stats.find('file')!.accepted >= 105, 'one generator tick at the file exporter');
    await collector.shutdown();
    // flush_interval is an hour: every line below was written by the flush on shutdown.
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const metrics = lines.filter((l) => l['signal'] === 'metrics');
    const events = lines.filter((l) => l['signal'] === 'events');
    assert.ok(metrics.length >= 100, `metric lines: ${metrics.length}`);
    assert.ok(events.length >= 5, `event lines: ${events.length}`);
    assert.equal(metrics.length % 100, 0, 'whole ticks of 100 points');
    const series = new Set(metrics.map((m) => JSON.stringify([m['name'], m['labels']])));
    assert.equal(series.size, 20);
    for (const m of metrics) {
      assert.equal(m['type'], 'counter');
      assert.ok(['nissa_demo_requests', 'nissa_demo_latency_seconds'].includes(m['name'] as string));
      assert.deepEqual(Object.keys(m['labels'] as object), ['host', 'region', 'service', 'status']);
    }
    for (const e of events) assert.equal(e['topic'], 'telemetry.seed.health');
    assert.equal(new Set(events.map((e) => e['request_id'])).size, events.length);
  });
});
