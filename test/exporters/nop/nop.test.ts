import { strict as assert } from 'node:assert';
import { SIGNALS, SeriesTable } from '../../../src/api';
import { createTestContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../exporters/nop';
import { sampleBatches } from '../../export/sample-batches';

describe('nop exporter', () => {
  it('accepts every signal and logs nothing', async () => {
    assert.deepEqual(plugin.signals, SIGNALS);
    const series = new SeriesTable();
    const ctx = createTestContext({ kind: 'exporter', config: pluginConfig(plugin, {}), series });
    const instance = plugin.create(ctx);
    const { batches } = sampleBatches(series);
    for (const b of batches) await instance.consume(b);
    assert.equal(ctx.logger.lines.length, 0);
    assert.equal(ctx.telemetry.drops.size, 0);
  });

  it('takes no options', () => {
    assert.throws(() => pluginConfig(plugin, { anything: 1 }));
  });
});
