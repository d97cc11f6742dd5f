import { parse } from 'yaml';
import { loadConfigText } from '../src/config';
import { fakeRegistry } from '../test/config/fake-registry';
import { measure, report } from './report';

export const title = 'config: load and validate (startup and reload cost, no hot path)';

/** A large config: `n` pipelines, each with its own receiver, two processors and an exporter. */
function bigConfig(n: number): string {
  const lines = ['receivers:'];
  for (let i = 0; i < n; i++) lines.push(`  otlp/${i}:`, `    endpoint: 127.0.0.1:${4000 + i}`);
  lines.push('processors:');
  for (let i = 0; i < n; i++) lines.push(`  batch/${i}:`, '    timeout: 1s', `  cardinality/${i}:`, '    max_series: 1000');
  lines.push('exporters:');
  for (let i = 0; i < n; i++) lines.push(`  remote_write/${i}:`, `    endpoint: http://\${env:HOST:-127.0.0.1}:9090/${i}`, '    breaker:', '      failure_threshold: 3');
  lines.push('service:', '  pipelines:');
  for (let i = 0; i < n; i++) {
    lines.push(`    metrics/${i}:`, `      receivers: [otlp/${i}]`, `      processors: [batch/${i}, cardinality/${i}]`, `      exporters: [remote_write/${i}]`);
  }
  return lines.join('\n') + '\n';
}

export async function run(): Promise<void> {
  const n = 250;
  const text = bigConfig(n);
  const registry = fakeRegistry();
  const components = n * 4;
  const check = loadConfigText(text, 'bench.yaml', { registry, env: {} });
  if (check.errors.length > 0) throw new Error(`bench config invalid: ${check.errors[0]!.message}`);
  const baseline = measure(components, () => void parse(text));
  const rate = measure(components, () => void loadConfigText(text, 'bench.yaml', { registry, env: {} }));
  report({
    name: `loadConfigText, ${n} pipelines / ${components} components`,
    rate,
    unit: 'components',
    baseline: { name: 'yaml.parse alone', rate: baseline },
    extra: { 'ms per load': (components / rate) * 1000 },
  });
}
