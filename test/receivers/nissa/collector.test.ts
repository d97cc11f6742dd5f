import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../../src/testing';
import { send } from '../../http/http-client';
import { encodeObject, gauge } from '../../nissa-codec/fixtures';

describe('nissa receiver in a running collector', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'nissa-recv-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('delivers metrics to an exporter and executes control commands (set_mode emergency → 503)', async () => {
    const path = join(dir, 'out.jsonl');
    const collector = await startCollector(`
receivers:
  nissa:
    endpoint: 127.0.0.1:0
exporters:
  file: { path: ${JSON.stringify(path)} }
  control: {}
service:
  pipelines:
    metrics: { receivers: [nissa], exporters: [file] }
    control: { receivers: [nissa], exporters: [control] }
`);
    try {
      const address = collector.instance('nissa')!.address!();
      const post = (signal: string, body: Uint8Array) =>
        send({ address, path: `/v1/nissa/${signal}`, headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(body) });
      const ok = await post('metrics', encodeObject('metrics', { points: [gauge('nissa_e2e', { job: 'x' }, 42, { timestamp_ms: Date.now() })] }));
      assert.equal(ok.status, 200);
      assert.equal((await post('events', new Uint8Array(0))).status, 404, 'no events pipeline');
      const cmd = encodeObject('control', { commands: [{ command: 'set_mode', args: { mode: 'emergency' }, issued_at_ms: Date.now() }] });
      assert.equal((await post('control', cmd)).status, 200);
      const refused = await post('metrics', encodeObject('metrics', { points: [gauge('nissa_e2e', { job: 'x' }, 43, { timestamp_ms: Date.now() })] }));
      assert.equal(refused.status, 503);
    } finally {
      await collector.shutdown();
    }
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => [l['name'], l['labels'], l['value']]), [['nissa_e2e', { job: 'x' }, 42]]);
  });
});
