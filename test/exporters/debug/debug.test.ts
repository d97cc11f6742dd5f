import { strict as assert } from 'node:assert';
import { eventBatch, labelsFromRecord, MetricBatchBuilder, MetricKind, SeriesTable } from '../../../src/api';
import { createTestContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../exporters/debug';
import type { DebugConfig } from '../../../exporters/debug/config';
import { sampleBatches } from '../../export/sample-batches';

function debugExporter(partial: Record<string, unknown>, series = new SeriesTable()) {
  const ctx = createTestContext<DebugConfig>({ kind: 'exporter', config: pluginConfig<DebugConfig>(plugin, partial), series });
  return { ctx, instance: plugin.create(ctx) };
}

describe('debug exporter', () => {
  it('logs one count line per batch by default', async () => {
    const series = new SeriesTable();
    const { ctx, instance } = debugExporter({}, series);
    const { batches } = sampleBatches(series);
    for (const b of batches) await instance.consume(b);
    assert.deepEqual(
      ctx.logger.lines.map((l) => [l.level, l.msg, l.fields!['signal'], l.fields!['items'], 'data' in l.fields!]),
      [
        ['info', '9 metrics', 'metrics', 9, false],
        ['info', '2 events', 'events', 2, false],
        ['info', '1 alerts', 'alerts', 1, false],
        ['info', '1 control', 'control', 1, false],
      ],
    );
  });

  it('logs every item as its file-format line in detailed mode, one record per batch', async () => {
    const series = new SeriesTable();
    const { ctx, instance } = debugExporter({ verbosity: 'detailed' }, series);
    const { batches, lines } = sampleBatches(series);
    for (const b of batches) await instance.consume(b);
    assert.equal(ctx.logger.lines.length, batches.length);
    assert.deepEqual(ctx.logger.lines.flatMap((l) => l.fields!['data'] as string[]), lines);
  });

  it('never logs values under credential-like keys', async () => {
    const series = new SeriesTable();
    const { ctx, instance } = debugExporter({ verbosity: 'detailed' }, series);
    const b = new MetricBatchBuilder(1);
    b.push(series.intern('m', labelsFromRecord({ api_key: 'sk-live-123' }), MetricKind.GAUGE), 1, 1);
    await instance.consume(b.build());
    await instance.consume(eventBatch([{
      epoch: 1, requestId: 'r', topic: 't', eventType: 'login', severityNumber: 9, severityText: 'INFO', timestampMs: 1,
      attributes: { user: 'ann', password: 'hunter2', headers: { Authorization: 'Bearer abc.def' } }, body: { token: 'tok-999' },
    }]));
    const logged = JSON.stringify(ctx.logger.lines);
    for (const secret of ['sk-live-123', 'hunter2', 'Bearer abc.def', 'tok-999']) assert.ok(!logged.includes(secret), secret);
    assert.ok(logged.includes('ann'));
    assert.ok(logged.includes('[REDACTED]'));
  });

  it('refuses unknown verbosity', () => {
    assert.throws(() => pluginConfig(plugin, { verbosity: 'loud' }));
  });
});
