import { strict as assert } from 'node:assert';
import { formatDiagnostics, loadConfigText, type NissaConfig } from '../../src/config';
import { reinterpret } from '../../src/config/env';
import { fakeRegistry } from './fake-registry';

function load(body: string, env: Record<string, string | undefined>): NissaConfig {
  const text = `${body}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    metrics:\n      receivers: [prometheus]\n      exporters: [debug]\n`;
  const result = loadConfigText(text, 'env.yaml', { registry: fakeRegistry(), env });
  assert.deepEqual(formatDiagnostics(result), []);
  return result.config!;
}

function prometheus(config: NissaConfig): Record<string, unknown> {
  return config.receivers.get('prometheus')!.config as Record<string, unknown>;
}

describe('config: ${env:...} substitution', () => {
  it('substitutes a set variable and reads a whole plain reference as a number', () => {
    const config = load('receivers:\n  prometheus:\n    port: ${env:PORT}\n    scrape_interval: ${env:EVERY}', { PORT: '9100', EVERY: '5s' });
    assert.deepEqual(prometheus(config), { port: 9100, scrape_interval: '5s' });
  });

  it('uses the default when the variable is unset or empty', () => {
    assert.equal(prometheus(load('receivers:\n  prometheus:\n    port: ${env:PORT:-9200}', {})).port, 9200);
    assert.equal(prometheus(load('receivers:\n  prometheus:\n    port: ${env:PORT:-9200}', { PORT: '' })).port, 9200);
  });

  it('substitutes inside a longer string, which stays a string', () => {
    const text = 'receivers:\n  prometheus: {}\nexporters:\n  remote_write:\n    endpoint: "http://${env:HOST}:${env:PORT:-9090}/write"\nservice:\n  pipelines:\n    metrics:\n      receivers: [prometheus]\n      exporters: [remote_write]\n';
    const result = loadConfigText(text, 'env.yaml', { registry: fakeRegistry(), env: { HOST: 'db' } });
    assert.deepEqual(result.errors, []);
    assert.equal((result.config!.exporters.get('remote_write')!.config as { endpoint: string }).endpoint, 'http://db:9090/write');
  });

  it('keeps a quoted reference a string, so a number-like value can reach a string option', () => {
    const text = 'receivers:\n  otlp:\n    endpoint: "${env:EP}"\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    metrics:\n      receivers: [otlp]\n      exporters: [debug]\n';
    const result = loadConfigText(text, 'env.yaml', { registry: fakeRegistry(), env: { EP: '4318' } });
    assert.deepEqual(result.errors, []);
    assert.equal((result.config!.receivers.get('otlp')!.config as { endpoint: string }).endpoint, '4318');
  });

  it('reports an unset variable without default at its line, with the path', () => {
    const text = 'receivers:\n  prometheus:\n    port: ${env:NOPE}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    metrics:\n      receivers: [prometheus]\n      exporters: [debug]\n';
    const result = loadConfigText(text, 'env.yaml', { registry: fakeRegistry(), env: {} });
    // Only the unset variable: the empty value it leaves must not add a second error at the same key.
    assert.deepEqual(formatDiagnostics(result), [
      'env.yaml:3:5: receivers.prometheus.port: environment variable NOPE is not set (set it, or give a default: ${env:NOPE:-value})',
    ]);
  });

  it('turns $$ into a literal $ and leaves a lone $ alone', () => {
    const text = 'receivers:\n  prometheus: {}\nexporters:\n  remote_write:\n    endpoint: http://h/$$path?a=$x&b=${env:B}\n    headers:\n      x-cost: $$5\nservice:\n  pipelines:\n    metrics:\n      receivers: [prometheus]\n      exporters: [remote_write]\n';
    const result = loadConfigText(text, 'env.yaml', { registry: fakeRegistry(), env: { B: '2' } });
    assert.deepEqual(result.errors, []);
    const config = result.config!.exporters.get('remote_write')!.config as { endpoint: string; headers: Record<string, string> };
    assert.equal(config.endpoint, 'http://h/$path?a=$x&b=2');
    assert.deepEqual(config.headers, { 'x-cost': '$5' });
  });

  it('reads substituted values with the YAML core schema', () => {
    assert.equal(reinterpret('42'), 42);
    assert.equal(reinterpret('-1.5e3'), -1500);
    assert.equal(reinterpret('0x1f'), 31);
    assert.equal(reinterpret('true'), true);
    assert.equal(reinterpret('FALSE'), false);
    assert.equal(reinterpret(''), null);
    assert.equal(reinterpret('null'), null);
    assert.equal(reinterpret('5s'), '5s');
    assert.equal(reinterpret('a: b'), 'a: b');
  });
});
