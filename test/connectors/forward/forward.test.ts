import { strict as assert } from 'node:assert';
import { PermanentError, RetryableError, SeriesTable, SIGNALS } from '../../../src/api';
import { CollectingOutput, connectorContext, pluginConfig } from '../../../src/testing';
import { plugin } from '../../../connectors/forward';
import { sampleBatches } from '../../export/sample-batches';

describe('forward connector', () => {
  it('connects every signal to itself', () => {
    assert.deepEqual(plugin.signals, SIGNALS.map((s) => [s, s]));
  });

  it('passes each batch through unchanged to the pipelines of its signal', async () => {
    const series = new SeriesTable();
    const output = new CollectingOutput();
    const instance = plugin.create(connectorContext({ config: pluginConfig(plugin, {}), output, series }));
    const { batches } = sampleBatches(series);
    for (const b of batches) await instance.consume(b);
    for (const b of batches) assert.deepEqual(output.sink(b.signal).batches, [b]);
    assert.equal(output.sink(batches[0]!.signal).batches[0], batches[0], 'the same batch object, not a copy');
  });

  it('returns downstream refusals to the caller', async () => {
    const series = new SeriesTable();
    const output = new CollectingOutput(['metrics']);
    const instance = plugin.create(connectorContext({ config: pluginConfig(plugin, {}), output, series }));
    const { batches } = sampleBatches(series);
    output.sink('metrics').failWith = new RetryableError('busy');
    await assert.rejects(instance.consume(batches[0]!), RetryableError);
    await assert.rejects(instance.consume(batches[1]!), PermanentError, 'no events pipeline');
  });
});
