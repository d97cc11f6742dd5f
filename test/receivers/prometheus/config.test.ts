import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { plugin as receiver } from '../../../receivers/prometheus';
import { targetSettings } from '../../../receivers/prometheus/receiver';
import { plugin as exporter } from '../../../exporters/prometheus';

function validate(schema: Record<string, unknown>, config: unknown): { ok: boolean; config: any; errors: string } {
  const ajv = new Ajv({ useDefaults: true, allowUnionTypes: true });
  const check = ajv.compile(schema);
  const copy = structuredClone(config);
  const ok = check(copy);
  return { ok, config: copy, errors: ajv.errorsText(check.errors) };
}

describe('prometheus plugins: config', () => {
  it('receiver defaults follow Prometheus (1m interval, 10s timeout, /metrics, honor_labels false, 50MiB)', () => {
    const r = validate(receiver.configSchema, { scrape_configs: [{ job_name: 'j', static_configs: [{ targets: ['h:9100'] }] }] });
    assert.equal(r.ok, true, r.errors);
    const [t] = targetSettings(r.config.scrape_configs[0]);
    assert.deepEqual(t, {
      job: 'j', address: 'h:9100', url: 'http://h:9100/metrics', intervalMs: 60_000, timeoutMs: 10_000,
      bodyLimit: 50 * 1024 * 1024, honorLabels: false, staticLabels: {},
    });
  });

  it('receiver rejects unknown keys, https and targets with a scheme', () => {
    assert.equal(validate(receiver.configSchema, { scrape_configs: [{ job_name: 'j', bogus: 1 }] }).ok, false);
    assert.equal(validate(receiver.configSchema, { scrape_configs: [{ job_name: 'j', scheme: 'https' }] }).ok, false);
    assert.equal(validate(receiver.configSchema, { scrape_configs: [{ job_name: 'j', static_configs: [{ targets: ['http://h:1'] }] }] }).ok, false);
  });

  it('exporter defaults: 127.0.0.1:9464, 5m expiration, OpenMetrics on', () => {
    const r = validate(exporter.configSchema, {});
    assert.equal(r.ok, true, r.errors);
    assert.deepEqual(r.config, {
      endpoint: '127.0.0.1:9464', namespace: '', const_labels: {}, metric_expiration: '5m',
      send_timestamps: false, add_metric_suffixes: true, enable_open_metrics: true,
    });
    assert.equal(validate(exporter.configSchema, { endpoint: 'nope' }).ok, false);
  });
});
