import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetrics } from '../faults/self-metrics';
import { PATIENCE_MS, waitUntil } from '../helpers/wait-until';
import { runNissa, spawnNissa } from './run-cli';

describe('nissa CLI', function () {
  this.timeout(3 * PATIENCE_MS);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nissa-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const GOOD = `
receivers:
  generator:
    points_per_second: 2000
    interval: 100ms
    events: { per_second: 50 }
exporters:
  file:
    path: ./out.jsonl
    flush_interval: 1h
service:
  telemetry: { metrics: { endpoint: null } }
  pipelines:
    metrics: { receivers: [generator], exporters: [file] }
    events: { receivers: [generator], exporters: [file] }
`;

  it('run: on SIGTERM flushes everything buffered to the file exporter, then exits 0', async () => {
    // Self-telemetry on, so that the test can see when enough was generated (not a fixed sleep).
    writeFileSync(join(dir, 'pipelines.yaml'), GOOD.replace('endpoint: null', 'endpoint: 127.0.0.1:0'));
    const child = spawnNissa(['run', '--config', 'pipelines.yaml'], dir);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitUntil(() => stderr.includes('"collector started"'), 'the collector to start');
    const telemetry = /"collector started".*"telemetry":"([^"]+)"/.exec(stderr)![1];
    // A tick sends 200 points, then 5 events, and the next tick waits for it: 1025 items at the
    // exporter are 5 whole ticks, so at least 1000 points and 25 events are buffered.
    await waitUntil(async () => {
      const m = parseMetrics(await (await fetch(`http://${telemetry}/metrics`)).text());
      return m.sum('nissa_exporter_accepted_items_total', { exporter: 'file' }) >= 1025;
    }, 'five generator ticks at the file exporter', PATIENCE_MS, 50);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { signal: string });
    // flush_interval is an hour: every line here was written by the graceful stop.
    assert.ok(lines.filter((l) => l.signal === 'metrics').length >= 1000, `only ${lines.length} lines`);
    assert.ok(lines.some((l) => l.signal === 'events'));
    assert.match(stderr, /"collector stopped"/);
  });

  it('validate: exit 0 for a valid file, 1 with every error printed as file:line:col: path: message', async () => {
    writeFileSync(join(dir, 'good.yaml'), GOOD);
    const ok = await runNissa(['validate', '--config', 'good.yaml'], dir);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    writeFileSync(join(dir, 'bad.yaml'), `receivers:
  generator:
    points_per_second: lots
exporters:
  fiel: { path: x }
service:
  pipelines:
    metrics: { receivers: [generator], exporters: [file] }
`);
    const bad = await runNissa(['validate', '--config', 'bad.yaml'], dir);
    assert.equal(bad.code, 1);
    const out = bad.stdout + bad.stderr;
    assert.match(out, /^bad\.yaml:3:5: receivers\.generator\.points_per_second: must be number/m);
    assert.match(out, /^bad\.yaml:5:3: exporters\.fiel: unknown exporter type "fiel"/m);
    assert.match(out, /^bad\.yaml:8:\d+: service\.pipelines\.metrics\.exporters\[0\]: .*file/m);
  });

  it('graph: prints the pipeline graph as mermaid and dot', async () => {
    writeFileSync(join(dir, 'pipelines.yaml'), GOOD);
    const mermaid = await runNissa(['graph', '--config', 'pipelines.yaml', '--format', 'mermaid'], dir);
    assert.equal(mermaid.code, 0, mermaid.stderr);
    assert.match(mermaid.stdout, /^flowchart LR/);
    assert.match(mermaid.stdout, /r_generator --> e_file/);
    const dot = await runNissa(['graph', '--config', 'pipelines.yaml', '--format', 'dot'], dir);
    assert.match(dot.stdout, /^digraph nissa \{/);
    assert.match(dot.stdout, /r_generator -> e_file;/);
  });

  it('components: lists every plugin type with its signals and config schema', async () => {
    const res = await runNissa(['components'], dir);
    assert.equal(res.code, 0, res.stderr);
    const list = JSON.parse(res.stdout) as { kind: string; type: string; signals: unknown[]; config_schema: { type: string } }[];
    const file = list.find((c) => c.kind === 'exporter' && c.type === 'file');
    assert.ok(file);
    assert.deepEqual(file.signals, ['metrics', 'events', 'alerts', 'control']);
    assert.equal(file.config_schema.type, 'object');
    assert.ok(list.some((c) => c.kind === 'receiver' && c.type === 'generator'));
    assert.ok(list.some((c) => c.kind === 'connector' && c.type === 'forward'));
  });
});
