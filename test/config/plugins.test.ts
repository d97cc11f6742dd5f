import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostics, loadConfig } from '../../src/config';
import { fakeRegistry, fixturesDir } from './fake-registry';

const PIPELINES = `
receivers:
  otlp: {}
exporters:
  debug: {}
`;

describe('config: service.plugins', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nissa-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a plugin module by a path relative to the config file and validates its config', () => {
    const plugin = join(fixturesDir(), 'plugins', 'double.js');
    const file = join(dir, 'pipelines.yaml');
    writeFileSync(file, `${PIPELINES}processors:\n  double:\n    factor: 4\nservice:\n  plugins: [./double.js]\n  pipelines:\n    metrics:\n      receivers: [otlp]\n      processors: [double]\n      exporters: [debug]\n`);
    writeFileSync(join(dir, 'double.js'), `module.exports = require(${JSON.stringify(plugin)});\n`);
    const registry = fakeRegistry();
    const result = loadConfig(file, { registry });
    assert.deepEqual(formatDiagnostics(result), []);
    assert.deepEqual(result.config!.processors.get('double')!.config, { factor: 4 });
    assert.equal(registry.get('processor', 'double')?.type, 'double');
    // Loading the same config again into the same registry (a reload) works.
    assert.deepEqual(loadConfig(file, { registry }).errors, []);
  });

  it('reports a module that cannot be loaded or exports nothing at its list item, and goes on', () => {
    const file = join(fixturesDir(), 'plugin-errors.yaml');
    const lines = formatDiagnostics(loadConfig(file, { registry: fakeRegistry() }));
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.equal(lines[0], `${file}:4:7: service.plugins[0]: plugin module "./plugins/empty.js" exports no plugins (export "plugins" or a default definition)`);
    // Node's message names the absolute path it tried, so only its start is fixed.
    assert.ok(lines[1]!.startsWith(`${file}:5:7: service.plugins[1]: cannot load plugin module "./plugins/missing.js": Cannot find module`), lines[1]);
    assert.ok(!lines[1]!.includes('\n'));
    // The other checks still ran: the type that failed to load is unknown.
    assert.equal(lines[2], `${file}:14:3: processors.double: unknown processor type "double" (known processor types: batch, cardinality)`);
  });

  it('reports a config file that cannot be read', () => {
    const file = join(dir, 'absent.yaml');
    const result = loadConfig(file, { registry: fakeRegistry() });
    assert.equal(result.errors.length, 1);
    assert.match(formatDiagnostics(result)[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:1: \\(file\\): cannot read the config file: ENOENT`));
  });
});
