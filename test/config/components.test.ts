import { strict as assert } from 'node:assert';
import { defineProcessor } from '../../src/api';
import { formatDiagnostics, loadConfigText } from '../../src/config';
import { fakeRegistry, onePipeline } from './fake-registry';

const text = (processor: string): string => onePipeline(`  ${processor}`, [processor.split(':')[0]!]);

describe('config: plugin schemas', () => {
  it('refuses unknown keys even when a plugin schema forgets additionalProperties', () => {
    const registry = fakeRegistry();
    const configSchema = { type: 'object', properties: { rate: { type: 'number', default: 1, description: 'r' } } };
    registry.register(defineProcessor({ type: 'loose', description: 'fake', signals: ['metrics'], configSchema, create: () => ({ consume: async () => undefined }) }));
    const result = loadConfigText(text('loose: {rat: 2}'), 'loose.yaml', { registry, env: {} });
    assert.deepEqual(formatDiagnostics(result), [
      'loose.yaml:4:11: processors.loose.rat: unknown key "rat" (did you mean "rate"? allowed keys: breaker, rate)',
    ]);
    assert.equal('additionalProperties' in configSchema, false, "the plugin's schema object is not modified");
    assert.deepEqual(loadConfigText(text('loose:'), 'loose.yaml', { registry, env: {} }).config!.processors.get('loose')!.config, { rate: 1 });
  });

  it('reports a plugin whose schema does not compile, without hiding other problems', () => {
    const registry = fakeRegistry();
    registry.register(defineProcessor({ type: 'broken', description: 'fake', signals: ['metrics'], configSchema: { type: 'no-such-type' }, create: () => ({ consume: async () => undefined }) }));
    const lines = formatDiagnostics(loadConfigText(text('broken:\n  batch: {bad: 1}'), 'broken.yaml', { registry, env: {} }));
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^broken\.yaml:4:3: processors\.broken: the config schema of processor type "broken" is invalid: schema is invalid: /);
    assert.deepEqual(lines.slice(1), [
      'broken.yaml:5:3: warning: processors.batch: processor "batch" is defined but not used in any pipeline',
      'broken.yaml:5:11: processors.batch.bad: unknown key "bad" (allowed keys: breaker, send_batch_size, timeout)',
    ]);
  });
});
