import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../../src/testing';
import { spawnNissa } from '../../cli/run-cli';
import { busEvent, eventually, pendingCount, publishEvents } from '../../bus/fixtures';
import { requestIdsInFile } from '../../helpers/request-ids-in-file';
import { PATIENCE_MS } from '../../helpers/wait-until';
import { withRedis } from './harness';

const STREAM = 'telemetry.seed.health';

function config(endpoint: string, out: string, consumer: string): string {
  return `
receivers:
  bus: { endpoint: ${endpoint}, topics: [${STREAM}], consumer: ${consumer}, count: 50, block: 10s, min_idle_time: 1s, claim_interval: 200ms }
exporters:
  file: { path: ${JSON.stringify(out)}, flush_interval: 20ms }
service:
  telemetry: { metrics: { endpoint: '127.0.0.1:0' } }
  pipelines:
    events: { receivers: [bus], exporters: [file] }
`;
}

function idsIn(files: readonly string[]): Promise<string[][]> {
  return Promise.all(files.map(requestIdsInFile));
}

const range = (prefix: string, n: number): ReturnType<typeof busEvent>[] => Array.from({ length: n }, (_, i) => busEvent(`${prefix}${i}`));

describe('three Nissa instances in one consumer group', function () {
  this.timeout(6 * PATIENCE_MS);
  const env = withRedis();
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'nissa-bus-3-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('split the entries between them, each delivered exactly once', async () => {
    const files = [0, 1, 2].map((i) => join(dir, `out-${i}.jsonl`));
    const collectors = await Promise.all(files.map((f, i) => startCollector(config(env.server().endpoint, f, `inproc-${i}`))));
    try {
      await publishEvents(env.redis(), STREAM, range('s', 3000), 100);
      await eventually(async () => (await idsIn(files)).flat().length >= 3000, PATIENCE_MS, 'all entries in the files');
      const perInstance = await idsIn(files);
      const all = perInstance.flat();
      assert.equal(all.length, 3000, 'no duplicates');
      assert.equal(new Set(all).size, 3000, 'every entry');
      for (const ids of perInstance) assert.ok(ids.length > 0, `each instance took a share: ${perInstance.map((p) => p.length)}`);
    } finally {
      await Promise.all(collectors.map((c) => c.shutdown()));
    }
  });

  it('when one is killed, the others claim its pending entries: every entry at least once', async () => {
    const files = [0, 1, 2].map((i) => join(dir, `out-${i}.jsonl`));
    const children: ChildProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const path = join(dir, `nissa-${i}.yaml`);
      await writeFile(path, config(env.server().endpoint, files[i]!, `proc-${i}`));
      children.push(spawnNissa(['run', '--config', path], dir));
    }
    const exited = children.map((c) => new Promise<void>((r) => c.once('exit', () => r())));
    try {
      const r = env.redis();
      await eventually(async () => ((await r.xinfo('CONSUMERS', STREAM, 'nissa-observability').catch(() => [])) as unknown[]).length === 3, PATIENCE_MS, 'three consumers');
      await publishEvents(r, STREAM, range('a', 1000), 100);
      await eventually(async () => new Set((await idsIn(files)).flat()).size === 1000, PATIENCE_MS, 'first half');
      // Frozen first, so that everything it acknowledged is already in its file (the file exporter
      // buffers for flush_interval); its blocked read still takes entries, which then stay pending.
      const victim = children[0]!;
      victim.kill('SIGSTOP');
      await publishEvents(r, STREAM, range('b', 1000), 100);
      await eventually(async () => {
        const rows = (await r.xpending(STREAM, 'nissa-observability', '-', '+', 10, 'proc-0')) as unknown[];
        return rows.length > 0;
      }, PATIENCE_MS, 'the victim holds pending entries');
      victim.kill('SIGKILL');
      await eventually(async () => new Set((await idsIn(files)).flat()).size === 2000, PATIENCE_MS, 'every entry, claimed from the dead consumer');
      const all = (await idsIn(files)).flat();
      assert.equal(new Set(all).size, 2000);
      assert.ok(all.filter((id) => id.startsWith('a')).length === 1000, 'exactly once while nothing failed');
      await eventually(async () => (await pendingCount(r, STREAM)) === 0, PATIENCE_MS, 'nothing left pending');
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
      await Promise.all(exited);
    }
  });
});
