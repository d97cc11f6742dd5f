import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostics, loadConfigText } from '../../src/config';
import { fakeRegistry, fixturesDir } from './fake-registry';

/**
 * One case per file in test/fixtures/config/bad: `<case>.yaml` and `<case>.expected`, the exact
 * diagnostic lines (errors and warnings, by line). Adding a case is adding two files.
 */
const dir = join(fixturesDir(), 'bad');
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('config: bad configs', () => {
  it('has at least 20 cases, each with its expected output', () => {
    assert.ok(cases.length >= 20, `${cases.length} cases`);
    for (const file of cases) assert.ok(readdirSync(dir).includes(file.replace(/\.yaml$/, '.expected')), file);
  });

  for (const file of cases) {
    it(file.replace(/\.yaml$/, ''), () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const expected = readFileSync(join(dir, file.replace(/\.yaml$/, '.expected')), 'utf8').trimEnd().split('\n');
      const result = loadConfigText(text, file, { registry: fakeRegistry(), env: { NISSA_TEST_HOST: 'collector' } });
      assert.deepEqual(formatDiagnostics(result), expected);
      assert.ok(result.errors.length > 0, 'a bad config has errors');
      assert.equal(result.config, undefined, 'no config when there are errors');
    });
  }
});
