import assert from 'node:assert/strict';
import { plugin as receiver } from '../../../receivers/prometheus';
import { targetSettings } from '../../../receivers/prometheus/receiver';
import { validateConfig as validate } from '../../prometheus/validate-config';

describe('prometheus receiver: config', () => {
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
});
