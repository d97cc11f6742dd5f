import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventBatch, labelsFromRecord, MetricBatchBuilder, MetricKind, RetryableError, SeriesTable, type Batch, type ConsumingInstance } from '../../../src/api';
import { JsonLinesFormatter } from '../../../src/export';
import { createTestContext, FakeClock, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../exporters/file';
import type { FileConfig } from '../../../exporters/file/config';
import { sampleBatches } from '../../export/sample-batches';
import { waitUntil } from '../../helpers/wait-until';

describe('file exporter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nissa-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function exporter(partial: Record<string, unknown>, opts: { clock?: FakeClock; series?: SeriesTable } = {}) {
    const config = pluginConfig<FileConfig>(plugin, partial);
    const ctx = createTestContext<FileConfig>({ kind: 'exporter', config, clock: opts.clock ?? new FakeClock(), series: opts.series ?? new SeriesTable() });
    return { ctx, instance: plugin.create(ctx) as ConsumingInstance & Required<Pick<ConsumingInstance, 'start' | 'shutdown' | 'flush'>> };
  }

  /** One single-line metric batch whose value tells which it was. */
  function numbered(table: SeriesTable, n: number): Batch {
    const b = new MetricBatchBuilder(1);
    b.push(table.intern('seq', labelsFromRecord({ pad: 'x'.repeat(60) }), MetricKind.GAUGE), 1000 + n, n);
    return b.build();
  }

  async function linesOf(path: string): Promise<string[]> {
    const text = await readFile(path, 'utf8');
    assert.ok(text === '' || text.endsWith('\n'), 'files end with a whole line');
    return text.split('\n').filter((l) => l !== '');
  }

  it('fills in the documented defaults and requires path', () => {
    assert.deepEqual(pluginConfig<FileConfig>(plugin, { path: '/tmp/x' }), { path: '/tmp/x', rotation: { max_megabytes: 100, max_backups: 5 }, flush_interval: '1s' });
    assert.throws(() => pluginConfig(plugin, {}), /path/);
  });

  it('writes the exact JSON line of every signal and metric type', async () => {
    const series = new SeriesTable();
    const path = join(dir, 'out', 'data.jsonl');
    const { instance } = exporter({ path }, { series });
    await instance.start();
    const { batches, lines } = sampleBatches(series);
    for (const b of batches) await instance.consume(b);
    await instance.shutdown();
    assert.deepEqual(await linesOf(path), lines);
  });

  it('keeps data in the buffer until flush_interval, then writes it', async () => {
    const clock = new FakeClock();
    const path = join(dir, 'data.jsonl');
    const { instance } = exporter({ path, flush_interval: '1s' }, { clock });
    await instance.start();
    await instance.consume(eventBatch([{ epoch: 1, requestId: 'a', topic: 't', eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: 1, attributes: {}, body: null }]));
    assert.equal((await stat(path)).size, 0, 'consume resolves before the write');
    clock.advance(999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await stat(path)).size, 0, 'not written before the interval');
    clock.advance(1);
    // Only the interval timer can write now: wait for the file to fill, without calling flush().
    await waitUntil(async () => (await stat(path)).size > 0, 'the interval flush to write the file');
    assert.equal((await linesOf(path)).length, 1);
    await instance.shutdown();
  });

  it('writes everything buffered before shutdown resolves', async () => {
    const series = new SeriesTable();
    const path = join(dir, 'data.jsonl');
    const { instance } = exporter({ path, flush_interval: '1h' }, { series });
    await instance.start();
    for (let i = 0; i < 500; i++) await instance.consume(numbered(series, i));
    await instance.shutdown();
    const lines = await linesOf(path);
    assert.equal(lines.length, 500);
    assert.equal(JSON.parse(lines[499]!).value, 499);
    await assert.rejects(instance.consume(numbered(series, 500)), RetryableError);
  });

  it('rotates by size into path.1, path.2 and keeps max_backups, never splitting a line', async () => {
    const series = new SeriesTable();
    const path = join(dir, 'data.jsonl');
    const lineBytes = Buffer.byteLength(new JsonLinesFormatter(series).format(numbered(series, 10)));
    const { instance } = exporter({ path, rotation: { max_megabytes: (lineBytes * 4 + 10) / (1024 * 1024), max_backups: 2 } }, { series });
    await instance.start();
    for (let i = 0; i < 10; i++) await instance.consume(numbered(series, i));
    await instance.flush();
    for (let i = 10; i < 30; i++) {
      await instance.consume(numbered(series, i));
      if (i % 3 === 0) await instance.flush();
    }
    await instance.shutdown();
    assert.ok(!existsSync(`${path}.3`), 'only max_backups rotated files are kept');
    const files = [`${path}.2`, `${path}.1`, path];
    const values: number[] = [];
    for (const f of files) {
      const lines = await linesOf(f);
      assert.ok(lines.length >= 1 && lines.length <= 4, `${f} holds ${lines.length} lines`);
      assert.ok((await stat(f)).size <= lineBytes * 4 + 10);
      for (const line of lines) values.push(JSON.parse(line).value as number);
    }
    // Oldest first across the files, consecutive, ending with the last value written.
    assert.equal(values[values.length - 1], 29);
    values.forEach((v, i) => i > 0 && assert.equal(v, values[i - 1]! + 1));
  });

  it('appends to an existing file and counts its size toward rotation', async () => {
    const series = new SeriesTable();
    const path = join(dir, 'data.jsonl');
    await writeFile(path, '{"old":true}\n'.repeat(70));
    const { instance } = exporter({ path, rotation: { max_megabytes: 1000 / (1024 * 1024), max_backups: 1 } }, { series });
    await instance.start();
    await instance.consume(numbered(series, 1));
    await instance.shutdown();
    assert.equal((await linesOf(`${path}.1`)).length, 70);
    assert.equal(JSON.parse((await linesOf(path))[0]!).value, 1);
  });

  it('shuts down cleanly without start and creates no file', async () => {
    const path = join(dir, 'never.jsonl');
    const { instance } = exporter({ path });
    await instance.shutdown();
    assert.ok(!existsSync(path));
  });

  it('fails to start when the path cannot be opened', async () => {
    const { instance } = exporter({ path: dir });
    await assert.rejects(async () => instance.start());
  });
});
