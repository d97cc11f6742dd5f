import { strict as assert } from 'node:assert';
import { formatDiagnostic } from '../../src/config';
import { closest, editDistance, suggest } from '../../src/config/did-you-mean';
import { formatPath, pointerToPath } from '../../src/config/locate';

describe('config: diagnostics format and hints', () => {
  it('formats file:line:col: path: message (hint), warnings marked', () => {
    const location = { file: 'pipelines.yaml', line: 14, column: 5 };
    assert.equal(formatDiagnostic({ severity: 'error', location, path: 'processors.cardinality.max_series', message: 'must be integer' }),
      'pipelines.yaml:14:5: processors.cardinality.max_series: must be integer');
    assert.equal(formatDiagnostic({ severity: 'warning', location, path: 'receivers.otlp', message: 'unused', hint: 'remove it' }),
      'pipelines.yaml:14:5: warning: receivers.otlp: unused (remove it)');
  });

  it('writes YAML paths with dots and [index], and reads JSON pointers back', () => {
    assert.equal(formatPath(['service', 'pipelines', 'metrics/raw', 'receivers', 0]), 'service.pipelines.metrics/raw.receivers[0]');
    assert.equal(formatPath([]), '(root)');
    assert.deepEqual(pointerToPath('/exporters/otlp~1a/headers/0', { exporters: { 'otlp/a': { headers: ['x'] } } }), ['exporters', 'otlp/a', 'headers', 0]);
  });

  it('suggests the closest name, counting a swap as one edit', () => {
    assert.equal(editDistance('recievers', 'receivers'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(closest('otlpp', ['otlp', 'prometheus']), 'otlp');
    assert.equal(closest('kafka', ['otlp', 'prometheus']), undefined);
    assert.equal(suggest('batc', ['batch', 'filter'], 'known processor types'), 'did you mean "batch"? known processor types: batch, filter');
    assert.equal(suggest('x', [], 'defined'), 'defined: none');
  });
});
